/**
 * int8 (bigint, count(*), bigserial) arrives as text from both drivers. Both backends parse it the
 * same way: to a JS number, refusing values a double cannot hold exactly rather than rounding
 * them silently. Columns that need the full 64 bits (UTRN counters) are stored as numeric text.
 */
export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${text} is outside the safe integer range; store it as numeric/text`);
  }
  return n;
}
