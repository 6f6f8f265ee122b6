import type { DataSource, EntityManager } from 'typeorm';

/** Runs `work` in a transaction that is always rolled back, so the run's shared log is left as it was. */
export async function inRolledBackTransaction(db: DataSource, work: (manager: EntityManager) => Promise<void>): Promise<void> {
  const runner = db.createQueryRunner();
  await runner.startTransaction();
  try {
    await work(runner.manager);
  } finally {
    await runner.rollbackTransaction();
    await runner.release();
  }
}
