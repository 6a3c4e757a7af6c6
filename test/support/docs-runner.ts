import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** A shell example of a Markdown file: its line, its text, and why it is not run, if it is not. */
export interface ShellBlock {
  readonly file: string;
  readonly line: number;
  readonly script: string;
  /** From a `<!-- docs-test: not run (REASON) -->` line just above the block. */
  readonly notRun: string | null;
}

/** The ```sh blocks of a Markdown file, in order. */
export function shellBlocks(file: string, markdown: string): ShellBlock[] {
  const out: ShellBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```sh') continue;
    const mark = /^<!-- docs-test: not run \((.+)\) -->$/.exec(lines[i - 1]?.trim() ?? '');
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    out.push({ file, line: start + 1, script: body.join('\n'), notRun: mark?.[1] ?? null });
  }
  return out;
}

/** Whether an example talks to the running server (the others use the database, so the server must be stopped). */
export function needsServer(script: string): boolean {
  const code = script
    .split('\n')
    .filter((l) => !l.trim().startsWith('#'))
    .join('\n');
  return /\bcurl\b|\bhht (pull|visit|push)\b/.test(code);
}

/** A port nothing listens on now: the system picks it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

export const REPO = resolve(import.meta.dirname, '..', '..');

/**
 * A folder beside the checkout, as a reader's would be (so `../shared` is where the docs say),
 * where `npx meterops` is this checkout's command and `./data` is the demo's data directory.
 */
export function readerFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(dirname(REPO), 'meterops-docs-'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'meterops'));
  symlinkSync(join(REPO, 'bin', 'meterops.js'), join(dir, 'node_modules', '.bin', 'meterops'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `meterops serve` with the demo on the reader folder's ./data, until stopped; its output kept. */
export async function startServer(dir: string, port: number): Promise<{ output: () => string; stop(): Promise<void> }> {
  // The compiled command, as `npm start` runs it (npm install builds it).
  const child: ChildProcess = spawn(process.execPath, [join(REPO, 'bin', 'meterops.js'), 'serve', '--port', String(port), '--data-dir', join(dir, 'data')], {
    cwd: dir,
    env: { ...process.env, METEROPS_DATABASE_URL: '', METEROPS_DEMO: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let gone = false;
  const exited = new Promise<void>((ok) => child.on('exit', () => ((gone = true), ok())));
  for (let i = 0; i < 900 && !gone && !out.includes('meterops is running'); i++) await new Promise((r) => setTimeout(r, 200));
  if (!out.includes('meterops is running')) {
    if (!gone) child.kill('SIGKILL');
    throw new Error(`the server did not start:\n${out}`);
  }
  return {
    output: () => out,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}
