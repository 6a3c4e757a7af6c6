import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { ValidationError } from '../domain/errors.ts';
import { LIMITS } from '../services/deps.ts';
import { DEVICE_INPUT_FIELDS, type DeviceInput } from '../services/device-input.ts';
import type { NumberedInput } from '../services/register-devices.ts';

export type DeviceFileFormat = 'csv' | 'jsonl';

export interface FileProblem {
  readonly row: number;
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export interface ReadResult {
  readonly rows: NumberedInput[];
  /** Lines that could not even be read as a record (bad JSON, ragged CSV). */
  readonly problems: FileProblem[];
}

export function formatOf(path: string, explicit?: string): DeviceFileFormat {
  const f = explicit ?? (/\.csv$/i.test(path) ? 'csv' : /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : undefined);
  if (f !== 'csv' && f !== 'jsonl') {
    throw new ValidationError('format', 'file-format', `cannot tell the format of ${path}: name it .csv or .jsonl, or pass --format csv|jsonl`);
  }
  return f;
}

/**
 * Reads a device file into numbered rows (row = the file's line number), reporting progress in
 * bytes. CSV needs a header line naming the columns; JSON Lines one object per line.
 */
export async function readDeviceFile(path: string, format: DeviceFileFormat, onBytes: (read: number, total: number) => void = () => {}): Promise<ReadResult> {
  try {
    return await readRows(path, format, onBytes);
  } catch (e) {
    throw fileError(path, e);
  }
}

/** Binary data where text was expected, at a line of the file. */
class BinaryDataError extends Error {
  constructor(readonly line: number) {
    super(`binary data at line ${line}`);
  }
}

/** What went wrong reading the file, in one line that names the file and the line. */
function fileError(path: string, e: unknown): unknown {
  if (e instanceof BinaryDataError) {
    return new ValidationError('file', 'text-file', `${path} line ${e.line}: binary data (a NUL byte); a device file is CSV or JSON Lines text`);
  }
  const csv = e as { code?: string; lines?: number; lastRecordLine?: number };
  if (csv.code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = (csv.lastRecordLine ?? 0) + 1;
    return new ValidationError('file', 'csv-quote', `${path} line ${line}: a quote opened on this line is never closed`);
  }
  if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
    return new ValidationError('file', 'csv', `${path} line ${csv.lines ?? '?'}: not valid CSV (${(e as Error).message})`);
  }
  const io = e as NodeJS.ErrnoException;
  if (io.code === 'ENOENT') return new ValidationError('file', 'file-exists', `${path}: no such file`);
  if (io.code === 'EISDIR') return new ValidationError('file', 'file-exists', `${path} is a directory, not a device file`);
  if (io.code === 'EACCES') return new ValidationError('file', 'file-readable', `${path}: permission denied`);
  return e;
}

async function readRows(path: string, format: DeviceFileFormat, onBytes: (read: number, total: number) => void): Promise<ReadResult> {
  const total = statSync(path).size;
  const stream = createReadStream(path);
  let read = 0;
  let newlines = 0;
  stream.on('data', (chunk) => {
    const bytes = chunk as Buffer;
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      let line = newlines + 1;
      for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++;
      stream.destroy(new BinaryDataError(line));
      return;
    }
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) newlines++;
    read += bytes.length;
    onBytes(read, total);
  });
  const rows: NumberedInput[] = [];
  const problems: FileProblem[] = [];
  const push = (row: number, input: DeviceInput) => {
    if (rows.length >= LIMITS.importRows) {
      throw new ValidationError('file', 'max-rows', `${path} has more than ${LIMITS.importRows} rows; split it`);
    }
    rows.push({ row, input });
  };

  if (format === 'jsonl') {
    let line = 0;
    for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      try {
        const obj: unknown = JSON.parse(text);
        if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new Error('not a JSON object');
        push(line, obj as DeviceInput);
      } catch (e) {
        problems.push({ row: line, field: 'line', rule: 'json-object', message: `not a JSON object: ${(e as Error).message}` });
      }
    }
    return { rows, problems };
  }

  const parser = stream.pipe(parse({ columns: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }));
  // pipe() does not pass the source's errors on (binary data, a read failure): the parser must end with them.
  stream.on('error', (e) => parser.destroy(e));
  let headerChecked = false;
  let lastRecordLine = 1;
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; invalid_field_length: number } }>) {
      lastRecordLine = rec.info.lines;
      take(rec);
    }
  } catch (e) {
    if (e && typeof e === 'object' && !(e instanceof ValidationError)) Object.assign(e, { lastRecordLine });
    throw e;
  }
  return { rows, problems };

  function take(rec: { record: Record<string, string>; info: { lines: number; invalid_field_length: number } }): void {
    const line = rec.info.lines;
    if (!headerChecked) {
      headerChecked = true;
      const unknown = Object.keys(rec.record).filter((k) => !(DEVICE_INPUT_FIELDS as readonly string[]).includes(k));
      if (unknown.length) {
        throw new ValidationError('header', 'known-columns', `unknown column(s) ${unknown.join(', ')}; columns are ${DEVICE_INPUT_FIELDS.join(', ')}`);
      }
    }
    if (rec.info.invalid_field_length > 0) {
      problems.push({ row: line, field: 'line', rule: 'column-count', message: 'a different number of fields from the header row' });
      return;
    }
    push(line, rec.record);
  }
}
