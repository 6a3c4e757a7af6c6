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
  const total = statSync(path).size;
  const stream = createReadStream(path);
  let read = 0;
  stream.on('data', (chunk) => {
    read += chunk.length;
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
        problems.push({ row: line, field: 'line', rule: 'json-object', message: `line ${line} is not a JSON object: ${(e as Error).message}` });
      }
    }
    return { rows, problems };
  }

  const parser = stream.pipe(parse({ columns: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }));
  let headerChecked = false;
  for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; invalid_field_length: number } }>) {
    const line = rec.info.lines;
    if (!headerChecked) {
      headerChecked = true;
      const unknown = Object.keys(rec.record).filter((k) => !(DEVICE_INPUT_FIELDS as readonly string[]).includes(k));
      if (unknown.length) {
        throw new ValidationError('header', 'known-columns', `unknown column(s) ${unknown.join(', ')}; columns are ${DEVICE_INPUT_FIELDS.join(', ')}`);
      }
    }
    if (rec.info.invalid_field_length > 0) {
      problems.push({ row: line, field: 'line', rule: 'column-count', message: `line ${line} has a different number of fields from the header` });
      continue;
    }
    push(line, rec.record);
  }
  return { rows, problems };
}
