import { QueryFailedError } from 'typeorm';

/** True when PostgreSQL refused a write for breaking a unique constraint or index. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}
