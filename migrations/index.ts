import { CreateCoreSchema1795531288562 } from './1795531288562-CreateCoreSchema.js';
import { AddAccessPolicy1795532938185 } from './1795532938185-AddAccessPolicy.js';
import { AddRecordAcknowledgement1795535369051 } from './1795535369051-AddRecordAcknowledgement.js';
import { AddChildAccessFunction1795535400000 } from './1795535400000-AddChildAccessFunction.js';

/** Every migration in order; `npm run migration:generate` rewrites this list. */
export const MIGRATIONS: Function[] = [
  CreateCoreSchema1795531288562,
  AddAccessPolicy1795532938185,
  AddRecordAcknowledgement1795535369051,
  AddChildAccessFunction1795535400000,
];
