import { decodeDlmsDateTime } from './dlms-date-time.ts';
import { GbcsDecodeError } from './gbcs-error.ts';

/**
 * The content of a Generic Critical Alert (message code 0x1000): a DLMS Data-Notification whose
 * body is structure { long-unsigned alert code, octet-string(12) date-time }.
 */
export function readGcaAlert(content: Uint8Array): { alertCode: number; raisedAt: Date | null } {
  const b = content;
  if (b.length < 25 || b[0] !== 0x0f || b[5] !== 0x00 || b[6] !== 0x02 || b[7] !== 0x02 || b[8] !== 0x12 || b[11] !== 0x09 || b[12] !== 0x0c) {
    throw new GbcsDecodeError(0, 'not a GCA data-notification { alert code, date-time }');
  }
  const dt = decodeDlmsDateTime(b.subarray(13, 25));
  return { alertCode: (b[9]! << 8) | b[10]!, raisedAt: dt.iso ? new Date(`${dt.iso}Z`) : null };
}
