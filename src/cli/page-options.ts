import type { Command } from 'commander';
import { PAGE_LIMITS, ValidationError, type Page, type PageQuery } from '../domain/index.ts';
import { printJson } from './print-json.ts';

/** Adds `--limit`, `--cursor` and `--json` to a list command: the same paging as the API's lists. */
export function withPageOptions(cmd: Command): Command {
  return cmd
    .option('--limit <n>', `page size, 1 to ${PAGE_LIMITS.max} (default ${PAGE_LIMITS.default})`)
    .option('--cursor <cursor>', 'continue from the cursor the previous page printed')
    .option('--json', 'print the page as JSON: the items and "next"');
}

/** The paging flags as a use case takes them; a limit that is not a whole number is refused, naming the flag. */
export function pageArgs(o: { limit?: string; cursor?: string }): PageQuery {
  if (o.limit !== undefined && !/^\d+$/.test(o.limit))
    throw new ValidationError('limit', 'page-size', `--limit must be a whole number from 1 to ${PAGE_LIMITS.max}, got "${o.limit}"`);
  return { ...(o.limit !== undefined ? { limit: Number(o.limit) } : {}), ...(o.cursor !== undefined ? { cursor: o.cursor } : {}) };
}

/**
 * Prints a page: as JSON (`{ <key>: [...], next }`, the API's shape), or one line per item and,
 * when there is more, the flag that shows the next page.
 */
export function printPage<T>(page: Pick<Page<T>, 'next'> & { readonly items: readonly T[] }, o: { json?: boolean }, key: string, line: (item: T) => string, empty: string): void {
  if (o.json) return printJson({ [key]: page.items, next: page.next });
  if (!page.items.length) process.stdout.write(`${empty}\n`);
  else process.stdout.write(page.items.map(line).join('\n') + '\n');
  if (page.next) process.stdout.write(`more: --cursor ${page.next}\n`);
}
