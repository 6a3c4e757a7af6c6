/** The 12-byte DLMS date-time of the General-Signing header, with "not specified" kept as null. */
export interface DlmsDateTime {
  readonly year: number | null;
  readonly month: number | null;
  readonly day: number | null;
  readonly dayOfWeek: number | null;
  readonly hour: number | null;
  readonly minute: number | null;
  readonly second: number | null;
  readonly hundredths: number | null;
  /** Minutes from UTC; null when 0x8000 (not specified). */
  readonly deviation: number | null;
  readonly clockStatus: number;
  /** ISO 8601 when the date and time fields are all specified. */
  readonly iso: string | null;
}

export function decodeDlmsDateTime(b: Uint8Array): DlmsDateTime {
  const spec = (v: number, none: number) => (v === none ? null : v);
  const yearRaw = (b[0]! << 8) | b[1]!;
  const devRaw = (b[9]! << 8) | b[10]!;
  const dt = {
    year: spec(yearRaw, 0xffff),
    month: spec(b[2]!, 0xff),
    day: spec(b[3]!, 0xff),
    dayOfWeek: spec(b[4]!, 0xff),
    hour: spec(b[5]!, 0xff),
    minute: spec(b[6]!, 0xff),
    second: spec(b[7]!, 0xff),
    hundredths: spec(b[8]!, 0xff),
    deviation: devRaw === 0x8000 ? null : (devRaw << 16) >> 16,
    clockStatus: b[11]!,
  };
  const p = (n: number | null, w = 2) => String(n).padStart(w, '0');
  const complete = [dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second].every((v) => v !== null);
  return { ...dt, iso: complete ? `${p(dt.year, 4)}-${p(dt.month)}-${p(dt.day)}T${p(dt.hour)}:${p(dt.minute)}:${p(dt.second)}` : null };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad4 = (n: number) => (n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`);

/**
 * The ISO 8601 text of a 12-byte DLMS date-time at `at`, or null when a date or time field is not
 * specified: the same text as decodeDlmsDateTime(b).iso, without building the whole record.
 */
export function dlmsDateTimeIso(b: Uint8Array, at = 0): string | null {
  const year = (b[at]! << 8) | b[at + 1]!;
  const month = b[at + 2]!;
  const day = b[at + 3]!;
  const hour = b[at + 5]!;
  const minute = b[at + 6]!;
  const second = b[at + 7]!;
  if (year === 0xffff || month === 0xff || day === 0xff || hour === 0xff || minute === 0xff || second === 0xff) return null;
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
}

/**
 * Seconds since 2000-01-01T00:00:00Z as ISO 8601 (`2015-01-01T00:00:00Z`), by integer arithmetic
 * (days to civil date after H. Hinnant's algorithm) rather than a Date per value: logs and
 * profiles carry thousands of them. 0xFFFFFFFF is "not set".
 */
export function utcSecondsIso(s: number): string {
  if (s === 0xffffffff) return 'not set';
  const days = Math.floor(s / 86400);
  const rem = s - days * 86400;
  // Days from 0000-03-01 to 2000-01-01 is 730425.
  const z = days + 730425;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const hh = Math.floor(rem / 3600);
  const mm = Math.floor((rem % 3600) / 60);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}T${pad2(hh)}:${pad2(mm)}:${pad2(rem % 60)}Z`;
}

const part = (v: number, none: number, w = 2) => (v === none ? '*'.repeat(w) : String(v).padStart(w, '0'));
/** A DLMS date (5 bytes), * where a part is "not specified". */
export function dateText(b: Uint8Array): string {
  const year = (b[0]! << 8) | b[1]!;
  return `${year === 0xffff ? '****' : String(year).padStart(4, '0')}-${part(b[2]!, 0xff)}-${part(b[3]!, 0xff)}`;
}
/** A DLMS time (4 bytes), * where a part is "not specified". */
export function timeText(b: Uint8Array): string {
  return `${part(b[0]!, 0xff)}:${part(b[1]!, 0xff)}:${part(b[2]!, 0xff)}`;
}
/** A date-time with "not specified" parts (used for recurring dates), * where a part is wildcarded. */
export function dateTimeWildcards(b: Uint8Array): string {
  return `${dateText(b.subarray(0, 4))}T${timeText(b.subarray(5, 8))}`;
}
