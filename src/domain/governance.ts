import type { DeviceType } from './device-types.ts';
import type { PartyRole } from './parties.ts';
import type { TriageMethod } from './returns.ts';

/**
 * Governance settings: who may do what, and which routes a deployment enables. Each default is the
 * rule the source papers state (seed 000 on triage, IssueSEC0009 and seed 001 on the no-WAN routes);
 * a value other than the default departs from them, and `describeGovernance` labels it an extension,
 * so that `meterops config show` and the API say so. Validated at start by src/config/governance-schema.ts.
 */
export type RelayWanState = 'intermittent' | 'no-wan';

/** A departure from the generation's list: more roles that may triage one generation, optionally of one device type and by one method. */
export interface TriageExtension {
  readonly generation: 'SMETS1' | 'SMETS2';
  readonly deviceType?: DeviceType;
  readonly method?: TriageMethod;
  readonly roles: readonly PartyRole[];
}

export interface Governance {
  readonly triage: {
    /** Seed 000: "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible". */
    readonly smets2: readonly PartyRole[];
    /** The seeds set no such limit for SMETS1 (meterops default: every role that runs a facility). */
    readonly smets1: readonly PartyRole[];
    /** A facility's secure status is granted by another party, never by its owner (meterops default: the DCC or the SSC). */
    readonly secureStatusGrantedBy: readonly PartyRole[];
    /** Departures by generation, device type and method (none by default: every entry is an extension). */
    readonly extensions: readonly TriageExtension[];
  };
  readonly routes: {
    /** Enable Supply by configuration code: installed meters do not accept them (IssueSEC0009, seed 001: "the solution should avoid requiring a change to meters already installed in premises"). */
    readonly configurationCodes: boolean;
    /** WAN states for which the PPMID relay may be offered: seed 001 limits it to intermittent WAN. */
    readonly ppmidRelayWanStates: readonly RelayWanState[];
  };
}

export const DEFAULT_GOVERNANCE: Governance = Object.freeze({
  triage: Object.freeze({
    smets2: Object.freeze(['manufacturer'] as PartyRole[]),
    smets1: Object.freeze(['supplier', 'meter_asset_provider', 'manufacturer'] as PartyRole[]),
    secureStatusGrantedBy: Object.freeze(['dcc', 'security_sub_committee'] as PartyRole[]),
    extensions: Object.freeze([] as TriageExtension[]),
  }),
  routes: Object.freeze({ configurationCodes: false, ppmidRelayWanStates: Object.freeze(['intermittent'] as RelayWanState[]) }),
});

/** Where each setting's default comes from: a paper's rule, or a meterops default. */
export const GOVERNANCE_SOURCES: Readonly<Record<string, string>> = Object.freeze({
  'triage.smets2':
    'the SECMP0010/SECMP0013 working group paper on triage (October 2018): "under current governance for SMETS2, performing triage by anyone other than manufacturers, would not be possible"',
  'triage.smets1': 'meterops default: the seeds set no limit for SMETS1',
  'triage.secureStatusGrantedBy': 'meterops default: secure status is granted by another party, not self-declared',
  'triage.extensions': 'meterops default: none; each entry lets more roles triage one generation (device type, method) and is an extension',
  'routes.configurationCodes':
    'IssueSEC0009 (the IssueSEC0009/SECMP0032/SECMP0038 working group paper, October 2018): "avoid requiring a change to meters already installed in premises" (configuration codes were a 2012 option, in the SDAG paper of late 2012)',
  'routes.ppmidRelayWanStates': 'the SECMP0038 working group paper (October 2018): the relay for intermittent WAN only',
});

export interface GovernanceRow {
  readonly setting: string;
  readonly value: unknown;
  readonly default: unknown;
  readonly source: string;
  /** True when the value departs from the default: a meterops extension of the papers' rule. */
  readonly extension: boolean;
}

/** Every governance setting with its value, default and source; departures marked as extensions. */
export function describeGovernance(g: Governance): GovernanceRow[] {
  const rows: GovernanceRow[] = [];
  const defaults = DEFAULT_GOVERNANCE as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(g) as [string, Record<string, unknown>][]) {
    for (const [key, value] of Object.entries(values)) {
      const setting = `${section}.${key}`;
      const dflt = defaults[section]?.[key];
      rows.push({ setting, value, default: dflt, source: GOVERNANCE_SOURCES[setting] ?? 'meterops default', extension: JSON.stringify(value) !== JSON.stringify(dflt) });
    }
  }
  return rows;
}
