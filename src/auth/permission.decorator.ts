import { SetMetadata } from '@nestjs/common';
import type { Permission } from 'src/auth/roles.js';

export const PERMISSION_KEY = 'tandem:permission';
export const PUBLIC_KEY = 'tandem:public';

/** The one permission an operation or field needs; the global guard refuses handlers without it. */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/** Marks a handler that anyone may call without a token (health checks, `__typename`). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
