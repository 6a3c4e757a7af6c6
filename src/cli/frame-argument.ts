import { existsSync, readFileSync } from 'node:fs';
import { CliError } from './cli-error.ts';

/** A frame argument: hex digits, or a file holding them; anything else is neither, and says so. */
export function frameText(arg: string): string {
  if (/^[0-9a-fA-F\s]+$/.test(arg)) return arg;
  if (!existsSync(arg))
    throw new CliError(
      `"${arg.length > 60 ? `${arg.slice(0, 60)}...` : arg}" is neither a file nor hex: give the frame as hex digits, or the path of a file holding them`,
      2,
      'NOT_A_FRAME',
    );
  const bytes = readFileSync(arg);
  // A file of hex is text; a binary capture is not read as if it were.
  if (bytes.includes(0)) throw new CliError(`${arg} holds binary data: give the frame as hex text`, 2, 'NOT_A_FRAME');
  return bytes.toString('utf8');
}
