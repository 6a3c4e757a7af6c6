/**
 * One CSV cell, quoted as RFC 4180 says, with text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) prefixed with a single quote, as OWASP's
 * "CSV Injection" guidance advises: a manufacturer or model name comes from a client and must not
 * become a formula in the triage manager's spreadsheet. Numbers are written as they are.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}
