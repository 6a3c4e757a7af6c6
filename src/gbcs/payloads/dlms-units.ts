/**
 * DLMS/COSEM units (the enum in a scaler_unit), as the Blue Book lists them, and the reading of
 * a register value with its scaler applied. Energy in Wh is also shown in kWh, as suppliers read it.
 */
export const DLMS_UNITS: ReadonlyMap<number, string> = new Map([
  [1, 'a'],
  [2, 'mo'],
  [3, 'wk'],
  [4, 'd'],
  [5, 'h'],
  [6, 'min'],
  [7, 's'],
  [8, '°'],
  [9, '°C'],
  [10, 'currency'],
  [11, 'm'],
  [12, 'm/s'],
  [13, 'm³'],
  [14, 'm³ (corrected)'],
  [15, 'm³/h'],
  [16, 'm³/h (corrected)'],
  [17, 'm³/d'],
  [18, 'm³/d (corrected)'],
  [19, 'l'],
  [20, 'kg'],
  [21, 'N'],
  [22, 'Nm'],
  [23, 'Pa'],
  [24, 'bar'],
  [25, 'J'],
  [26, 'J/h'],
  [27, 'W'],
  [28, 'VA'],
  [29, 'var'],
  [30, 'Wh'],
  [31, 'VAh'],
  [32, 'varh'],
  [33, 'A'],
  [34, 'C'],
  [35, 'V'],
  [36, 'V/m'],
  [37, 'F'],
  [38, 'Ω'],
  [39, 'Ωm²/m'],
  [40, 'Wb'],
  [41, 'T'],
  [42, 'A/m'],
  [43, 'H'],
  [44, 'Hz'],
  [45, '1/(Wh)'],
  [46, '1/(varh)'],
  [47, '1/(VAh)'],
  [48, 'V²h'],
  [49, 'A²h'],
  [50, 'kg/s'],
  [51, 'S'],
  [52, 'K'],
  [53, '1/(V²h)'],
  [54, '1/(A²h)'],
  [55, '1/m³'],
  [56, '%'],
  [57, 'Ah'],
  [60, 'Wh/m³'],
  [61, 'J/m³'],
  [62, 'Mol %'],
  [63, 'g/m³'],
  [64, 'Pa s'],
  [65, 'J/kg'],
  [70, 'dBm'],
  [71, 'dBµV'],
  [72, 'dB'],
  [254, 'other unit'],
  [255, 'count (no unit)'],
]);

/** Kilo forms for the energy units, so a register reads in kWh as on a bill. */
const KILO: Record<string, string> = { Wh: 'kWh', varh: 'kvarh', VAh: 'kVAh', W: 'kW', var: 'kvar', VA: 'kVA' };

/** value × 10^scaler, exactly, as decimal text (no binary floating point on the way). */
export function scaled(value: bigint, scaler: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (scaler >= 0) digits += '0'.repeat(scaler);
  else {
    const places = -scaler;
    digits = digits.padStart(places + 1, '0');
    digits = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
  }
  return `${negative ? '-' : ''}${digits}`;
}

/** The reading a person sees: "12.345 kWh" for 12345 × 10^0 Wh; other units as they are. */
export function reading(value: bigint, scaler: number, unitCode: number): { text: string; unit: string } {
  const unit = DLMS_UNITS.get(unitCode) ?? `unit ${unitCode}`;
  const kilo = KILO[unit];
  if (kilo) return { text: `${scaled(value, scaler - 3)} ${kilo}`, unit: kilo };
  if (unitCode === 255) return { text: scaled(value, scaler), unit: '' };
  return { text: `${scaled(value, scaler)} ${unit}`, unit };
}
