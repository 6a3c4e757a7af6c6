import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { skipBecause } from './skips.ts';

function run(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.error === undefined && r.status === 0 ? r.stdout : null;
}

/**
 * Where this machine's SoftHSM2 PKCS#11 module is, asked of the system rather than guessed:
 * METEROPS_SOFTHSM2_MODULE if set; else pkg-config's `softhsm2` libdir; else the files of the
 * Debian package that installed `softhsm2-util` (and of libsofthsm2, which holds the module).
 */
export function findSofthsmModule(): { module: string | null; how: string } {
  const fromEnv = process.env.METEROPS_SOFTHSM2_MODULE;
  if (fromEnv) return existsSync(fromEnv) ? { module: fromEnv, how: 'METEROPS_SOFTHSM2_MODULE' } : { module: null, how: `METEROPS_SOFTHSM2_MODULE=${fromEnv} does not exist` };
  if (run('softhsm2-util', ['--version']) === null) return { module: null, how: 'softhsm2-util not on PATH' };
  const libdir = run('pkg-config', ['--variable=libdir', 'softhsm2'])?.trim();
  if (libdir) {
    for (const p of [join(libdir, 'softhsm', 'libsofthsm2.so'), join(libdir, 'libsofthsm2.so')]) if (existsSync(p)) return { module: p, how: 'pkg-config softhsm2' };
  }
  const util = run('sh', ['-c', 'command -v softhsm2-util'])?.trim();
  const owner = util
    ? run('dpkg', ['-S', realpathSync(util)])
        ?.split(':')[0]
        ?.trim()
    : undefined;
  const packages = [...new Set([owner, 'softhsm2', 'libsofthsm2'].filter((p): p is string => Boolean(p)))];
  for (const pkg of packages) {
    const files =
      run('dpkg', ['-L', pkg])
        ?.split('\n')
        .map((l) => l.trim()) ?? [];
    const found = files.find((f) => basename(f) === 'libsofthsm2.so' && existsSync(f));
    if (found) return { module: realpathSync(found), how: `dpkg -L ${pkg}` };
  }
  return { module: null, how: 'softhsm2-util is installed but neither pkg-config nor dpkg names its libsofthsm2.so (set METEROPS_SOFTHSM2_MODULE)' };
}

const found = findSofthsmModule();
export const SOFTHSM_LIBRARY = found.module ?? undefined;
export const SOFTHSM_FOUND_BY = found.how;
export const SKIP_SOFTHSM: string | false = SOFTHSM_LIBRARY
  ? false
  : skipBecause('softhsm', `SoftHSM2 module not found (${found.how}; apt-get install softhsm2): PKCS#11 tests skipped`);

/** A fresh SoftHSM2 token in its own directory; SOFTHSM2_CONF points at it for this process. */
export function freshToken(label: string, pin: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-softhsm-'));
  mkdirSync(join(dir, 'tokens'));
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', `${pin}-so`], { env: process.env, stdio: 'pipe' });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
