import { QueryFailedError } from 'typeorm';

/** True when PostgreSQL refused a write for breaking a unique constraint or index. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}

/** The unique constraint or index a write broke, from node-postgres's error or TypeORM's around it; null for any other error. */
export function brokenUniqueConstraint(error: unknown): string | null {
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  if (typeof cause !== 'object' || cause === null || !('code' in cause) || cause.code !== '23505') return null;
  return 'constraint' in cause && typeof cause.constraint === 'string' ? cause.constraint : null;
}
