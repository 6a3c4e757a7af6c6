import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MeteropsError } from '../domain/errors.ts';

/**
 * One process per embedded data directory: two PGlite instances on the same files each believe
 * they own them and rows are lost. The lock file names its owner by pid, boot id and the process's
 * start time, because a pid alone is not a process: after a restart in a container the new
 * process is often pid 1 again, as its crashed predecessor was, and a lock that trusted the pid
 * would need a hand to remove it. A lock whose owner is not running (no such pid, another boot, or
 * a process with that pid that started at another time) is stale and taken over.
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

/** Who holds a lock: enough to tell a running process from an earlier one with the same pid. */
export interface LockOwner {
  readonly pid: number;
  /** The kernel's boot id (Linux), or null where the system does not say. */
  readonly boot: string | null;
  /** The process's start time in clock ticks since boot (Linux /proc/PID/stat), or null. */
  readonly start: number | null;
}

/** What the system says about a process: its start time, null if it runs but the system cannot say, undefined if none runs. */
export interface ProcessTable {
  readonly boot: string | null;
  startOf(pid: number): number | null | undefined;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This system's processes: /proc where there is one, else only whether a pid runs. */
export function systemProcesses(): ProcessTable {
  return {
    boot: readOrNull('/proc/sys/kernel/random/boot_id')?.trim() ?? null,
    startOf(pid) {
      const stat = readOrNull(`/proc/${pid}/stat`);
      if (stat !== null) {
        // Fields after the command name (which may hold spaces and parentheses): the 22nd field of
        // the line is the 20th after the closing parenthesis.
        const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
        return Number.isFinite(start) ? start : null;
      }
      return alive(pid) ? null : undefined;
    },
  };
}

/** Parses a lock file: this format, or an older one that held only the pid. */
export function parseLockOwner(text: string): LockOwner | null {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t), boot: null, start: null };
  try {
    const o = JSON.parse(t) as Partial<LockOwner>;
    if (!Number.isInteger(o.pid) || o.pid! <= 0) return null;
    return { pid: o.pid!, boot: typeof o.boot === 'string' ? o.boot : null, start: typeof o.start === 'number' ? o.start : null };
  } catch {
    return null;
  }
}

/** Whether the lock's owner is a process running now. */
export function ownerRunning(owner: LockOwner, table: ProcessTable): boolean {
  if (owner.boot !== null && table.boot !== null && owner.boot !== table.boot) return false;
  const start = table.startOf(owner.pid);
  if (start === undefined) return false;
  // Same pid, another start time: the pid was reused by a process that is not the owner.
  if (owner.start !== null && start !== null && owner.start !== start) return false;
  return true;
}

export function lockDataDir(dir: string, table: ProcessTable = systemProcesses()): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'meterops.lock');
  const me: LockOwner = { pid: process.pid, boot: table.boot, start: table.startOf(process.pid) ?? null };
  for (let attempt = 0; attempt < 2; attempt++) {
    // Written whole beside the lock and linked into place: link fails if the lock exists, so the
    // lock appears atomically with its owner in it (never empty for another process to misread).
    const mine = `${path}.${process.pid}.new`;
    writeFileSync(mine, JSON.stringify(me));
    try {
      try {
        linkSync(mine, path);
      } finally {
        rmSync(mine, { force: true });
      }
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
      const owner = parseLockOwner(readOrNull(path) ?? '');
      // An unreadable or empty lock is a write cut off by a crash: nobody holds it.
      if (owner && ownerRunning(owner, table)) throw new DataDirLockedError(dir, owner.pid);
      // Stale: moved aside and looked at again, in case another process took it over in between
      // and what was moved is that process's fresh lock (then it goes back and this one waits).
      const aside = `${path}.stale-${process.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue; // another process moved it first
      }
      const moved = parseLockOwner(readOrNull(aside) ?? '');
      if (moved && ownerRunning(moved, table)) {
        try {
          linkSync(aside, path);
        } catch {
          // a third process holds it now
        }
        rmSync(aside, { force: true });
        throw new DataDirLockedError(dir, moved.pid);
      }
      rmSync(aside, { force: true });
    }
  }
  throw new MeteropsError('DATA_DIR_LOCKED', 409, `could not take the lock on ${dir}`);
}
