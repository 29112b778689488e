import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {}

const LOCK_FILE = 'orders.lock';

interface Owner {
  pid: number;
  startedAt: string;
}

const inUse = (dataDir: string, owner: Owner) =>
  new DataDirInUseError(
    `The embedded database in ${dataDir} is in use by another Orders process (pid ${owner.pid}, ` +
      `started ${owner.startedAt}). Stop that one, or give this one its own DATA_DIR.`,
  );

/**
 * One process per embedded data directory: a second one would open the same PGlite files and one
 * instance's writes would be lost. The lock file holds the owner's pid; a lock whose process is gone
 * (a crash, kill -9) is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  /** Fails at once if another live process holds the directory (checked before anything starts). */
  static assertFree(dataDir: string): void {
    const owner = readOwner(join(dataDir, LOCK_FILE));
    if (owner && owner.pid !== process.pid && isAlive(owner.pid)) throw inUse(dataDir, owner);
  }

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
        closeSync(fd);
        const lock = new DataDirLock(file);
        process.once('exit', () => lock.release());
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(file);
        if (owner && isAlive(owner.pid)) throw inUse(dataDir, owner);
        rmSync(file, { force: true }); // its owner is gone
      }
    }
    throw new DataDirInUseError(`Could not lock ${file}`);
  }

  release(): void {
    const owner = readOwner(this.file);
    if (owner?.pid === process.pid) rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): Owner | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
