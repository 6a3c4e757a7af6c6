import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Runs the meterops CLI in a subprocess, on the embedded database unless the args say otherwise. */
export function meterops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return meteropsWith({}, ...args);
}

/** The same, with extra environment variables. */
export async function meteropsWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, METEROPS_DATABASE_URL: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
