import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MeteropsError } from '../domain/errors.ts';

/**
 * One process per embedded data directory: two PGlite instances on the same files each believe
 * they own them and rows are lost. The lock file holds the owner's pid; a lock left by a process
 * that no longer exists is taken over.
 */
export class DataDirLockedError extends MeteropsError {
  constructor(dir: string, pid: number) {
    super('DATA_DIR_LOCKED', 409, `the data directory ${dir} is in use by process ${pid}; stop it first, or use another --data-dir`, { field: 'dataDir', rule: 'single-process' });
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'meterops.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new DataDirLockedError(dir, pid);
      }
      if (pid === process.pid) throw new DataDirLockedError(dir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new MeteropsError('DATA_DIR_LOCKED', 409, `could not take the lock on ${dir}`);
}
