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
