import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'tandem.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive claim on a data directory. Two processes on one embedded database both start and
 * one silently loses writes, so the second must refuse to start.
 */
export class DirectoryLock {
  private constructor(private readonly path: string) {}

  static acquire(directory: string): DirectoryLock {
    mkdirSync(directory, { recursive: true });
    const path = join(directory, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
        if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
          throw new Error(
            `The data directory ${directory} is in use by process ${holder}. Stop it, or set DATA_DIR to another directory.`,
          );
        }
        // A stale lock left by a process that died: take it over.
        rmSync(path, { force: true });
      }
    }
    throw new Error(`Could not lock the data directory ${directory}`);
  }

  release(): void {
    try {
      if (readFileSync(this.path, 'utf8') === String(process.pid)) rmSync(this.path, { force: true });
    } catch {
      // Already gone.
    }
  }
}
