/** Prints a value as indented JSON on stdout; 64-bit counters (bigint) print as decimal strings. */
export function printJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2) + '\n');
}
