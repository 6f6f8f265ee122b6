import { CreateCoreSchema1795362579109 } from './1795362579109-CreateCoreSchema.js';
/** Every migration in order; `npm run migration:generate` adds new ones here. */
export const MIGRATIONS: Function[] = [
  CreateCoreSchema1795362579109,
];
