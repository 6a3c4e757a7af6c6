import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DataDirLockedError, lockDataDir, parseLockOwner, systemProcesses, type ProcessTable } from '../../src/store/data-dir-lock.ts';

const onLinux = existsSync('/proc/self/stat');

/** This process's start time read from /proc here, independently of the code under test. */
function ownStart(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-lock-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the data directory lock', () => {
  it('writes its owner as pid, boot id and start time, and removes the file on release', { skip: !onLinux && 'needs /proc (Linux)' }, () =>
    withDir((dir) => {
      const lock = lockDataDir(dir);
      const owner = parseLockOwner(readFileSync(lock.path, 'utf8'));
      assert.deepEqual(owner, { pid: process.pid, boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), start: ownStart() });
      lock.release();
      assert.equal(existsSync(lock.path), false);
    }),
  );

  it('refuses a second lock by the same running process', () =>
    withDir((dir) => {
      const lock = lockDataDir(dir);
      assert.throws(
        () => lockDataDir(dir),
        (e: unknown) => e instanceof DataDirLockedError && e.code === 'DATA_DIR_LOCKED' && e.message.includes(String(process.pid)),
      );
      lock.release();
    }));

  it('takes over a lock left by an earlier process with the same pid (pid 1 after a restart in a container)', { skip: !onLinux && 'needs /proc (Linux)' }, () =>
    withDir((dir) => {
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      // Exactly that case: the lock names this very pid, on this boot, but a start time that is
      // not this process's: the process that wrote it has gone and its pid was handed out again.
      writeFileSync(join(dir, 'meterops.lock'), JSON.stringify({ pid: process.pid, boot, start: ownStart() - 5_000 }));
      const lock = lockDataDir(dir);
      assert.equal(parseLockOwner(readFileSync(lock.path, 'utf8'))?.start, ownStart(), 'the lock is now this process’s');
      lock.release();
    }),
  );

  it('takes over a lock from another boot even where its pid runs now', () =>
    withDir((dir) => {
      const table: ProcessTable = { boot: 'boot-now', startOf: () => 100 };
      writeFileSync(join(dir, 'meterops.lock'), JSON.stringify({ pid: 4242, boot: 'boot-before', start: 100 }));
      lockDataDir(dir, table).release();
    }));

  it('respects a lock held by another running process, and takes over one whose pid has been reused', { skip: !onLinux && 'needs /proc (Linux)' }, async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const pid = child.pid!;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      withDir((dir) => {
        writeFileSync(join(dir, 'meterops.lock'), JSON.stringify({ pid, boot, start }));
        assert.throws(
          () => lockDataDir(dir),
          (e: unknown) => e instanceof DataDirLockedError && e.message.includes(`process ${pid}`),
        );
        writeFileSync(join(dir, 'meterops.lock'), JSON.stringify({ pid, boot, start: start + 1 }));
        lockDataDir(dir).release();
      });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process has gone, an empty lock (a write cut off) and an unreadable one', () =>
    withDir((dir) => {
      const gone: ProcessTable = { boot: null, startOf: () => undefined };
      for (const text of [JSON.stringify({ pid: 999_999, boot: null, start: 1 }), '', 'not a lock', '999999']) {
        writeFileSync(join(dir, 'meterops.lock'), text);
        lockDataDir(dir, text === '999999' ? gone : systemProcesses()).release();
      }
    }));

  it('still honours the older lock format (the pid alone) while that pid runs', () =>
    withDir((dir) => {
      writeFileSync(join(dir, 'meterops.lock'), String(process.pid));
      assert.throws(() => lockDataDir(dir), DataDirLockedError);
    }));

  it('of eight processes that take a stale lock at the same moment, exactly one holds it', { skip: !onLinux && 'needs /proc (Linux)' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meterops-lock-race-'));
    try {
      writeFileSync(join(dir, 'meterops.lock'), JSON.stringify({ pid: 999_999, boot: null, start: 1 }));
      const at = Date.now() + 4_000;
      const script = `import { existsSync } from 'node:fs'; import { lockDataDir } from ${JSON.stringify(join(import.meta.dirname, '../../src/store/data-dir-lock.ts'))};
        while (Date.now() < ${at}) await new Promise((r) => setTimeout(r, 1));
        try { lockDataDir(${JSON.stringify(dir)}); console.log('held');
          // Held until the others have all answered (the test writes "done"), so none comes late to a lock let go.
          for (let i = 0; i < 1200 && !existsSync(${JSON.stringify(join(dir, 'done'))}); i++) await new Promise((r) => setTimeout(r, 50)); }
        catch (e) { console.log(e.code); }`;
      const runs = Array.from({ length: 8 }, () => {
        const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        return new Promise<string>((ok) => c.on('exit', () => ok(out.trim())));
      });
      let answered = 0;
      for (const r of runs) void r.then((o) => o === 'DATA_DIR_LOCKED' && ++answered === 7 && writeFileSync(join(dir, 'done'), ''));
      const outcomes = await Promise.all(runs);
      assert.equal(outcomes.filter((o) => o === 'held').length, 1, outcomes.join(', '));
      assert.equal(outcomes.filter((o) => o === 'DATA_DIR_LOCKED').length, 7, outcomes.join(', '));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
