/**
 * SEC G3.20(b): standing arrangements with the manufacturers of a User's fleet, checked before any
 * vulnerability exists. Pure: which manufacturers of a User's Responsible Supplier devices it has no
 * arrangement with.
 */
import type { DeviceType, SmetsGeneration } from './device-types.ts';

export const G320_CLAUSE =
  'G3.20(b): "Each User shall, wherever it is practicable to do so, establish with ... any Smart Metering System (excluding a Communications Hub Function or Gas Proxy Function which forms part of a SMETS2+ Device) for which it is the Responsible Supplier, arrangements designed to ensure that the User will be notified"';

/** Registered devices of one Responsible Supplier, one manufacturer, type and generation. */
export interface FleetManufacturerRow {
  readonly partyId: string;
  readonly manufacturer: string;
  readonly type: DeviceType;
  readonly smetsGeneration: SmetsGeneration;
  readonly devices: number;
}

export interface ManufacturerCount {
  readonly manufacturer: string;
  readonly devices: number;
}

export interface ArrangementGaps {
  readonly partyId: string;
  /** Manufacturers in the fleet with no arrangement, with the devices they made. */
  readonly missing: readonly ManufacturerCount[];
  /** Manufacturers in the fleet with an arrangement. */
  readonly covered: readonly ManufacturerCount[];
}

/** Excluded from G3.20(b): a SMETS2+ CHF or GPF (the DCC's, MP087). */
const excluded = (r: FleetManufacturerRow) => (r.type === 'CHF' || r.type === 'GPF') && r.smetsGeneration === 'SMETS2+';

/** Per User (each party in `parties`, in that order), the fleet's manufacturers with and without an arrangement. */
export function arrangementGaps(
  parties: readonly string[],
  fleet: readonly FleetManufacturerRow[],
  arrangements: readonly { partyId: string; manufacturer: string }[],
): ArrangementGaps[] {
  const has = new Set(arrangements.map((a) => `${a.partyId}\u0000${a.manufacturer}`));
  return parties.map((partyId) => {
    const counts = new Map<string, number>();
    for (const r of fleet) if (r.partyId === partyId && !excluded(r)) counts.set(r.manufacturer, (counts.get(r.manufacturer) ?? 0) + r.devices);
    const all = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([manufacturer, devices]) => ({ manufacturer, devices }));
    return {
      partyId,
      missing: all.filter((m) => !has.has(`${partyId}\u0000${m.manufacturer}`)),
      covered: all.filter((m) => has.has(`${partyId}\u0000${m.manufacturer}`)),
    };
  });
}
