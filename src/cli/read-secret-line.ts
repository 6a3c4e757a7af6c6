import { CliError } from './cli-error.ts';

/** A secret from stdin (its first line), so that it is in neither the shell history nor the process list. */
export async function readSecretLine(what = '--password-stdin'): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const pw = text.split(/\r?\n/)[0] ?? '';
  if (!pw) throw new CliError(`${what}: nothing on standard input`, 2);
  return pw;
}
