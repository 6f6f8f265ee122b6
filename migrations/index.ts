import { CreateCoreSchema1795531288562 } from './1795531288562-CreateCoreSchema.js';
/** Every migration in order; `npm run migration:generate` adds new ones here. */
export const MIGRATIONS: Function[] = [CreateCoreSchema1795531288562];
