import { MeteropsError } from '../domain/errors.ts';

/** A frame that cannot be read: where (byte offset into the input) and why. */
export class GbcsDecodeError extends MeteropsError {
  readonly offset: number;
  readonly reason: string;
  constructor(offset: number, reason: string) {
    super('GBCS_DECODE', 422, `GBCS frame invalid at byte ${offset}: ${reason}`, { field: 'frame', rule: 'gbcs-frame' });
    this.offset = offset;
    this.reason = reason;
  }
}
