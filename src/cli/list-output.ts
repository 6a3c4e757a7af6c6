import type { Page } from '../services/cursor-page.ts';
import { printJson } from './print-json.ts';

/** Prints a page as lines (or JSON), then the cursor of the next page when there is one. */
export function printPage<T>(page: Page<T>, json: boolean, line: (t: T) => string, what: string): void {
  if (json) return printJson({ items: page.items, next: page.next });
  process.stdout.write(page.items.length ? page.items.map(line).join('\n') + '\n' : `no ${what}\n`);
  if (page.next) process.stdout.write(`next: --cursor ${page.next}\n`);
}

/** `--limit N` as a number; the use case checks its range. */
export const limitOf = (v: string | undefined): number | undefined => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : Number.NaN);
