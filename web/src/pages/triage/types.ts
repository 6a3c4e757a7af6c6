// What the API answers for the bench (GET /v1/devices/:eui, /v1/return-lines/:id, POST .../triage):
// only the fields the pages show; the server's answer is the whole truth.

export interface Device {
  readonly eui: string;
  readonly type: string;
  readonly smetsGeneration: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion?: string | null;
  readonly inventoryStatus: string;
  readonly assetStatus: string;
  readonly ownerPartyId: string | null;
  readonly supplierPartyId: string | null;
  readonly custodianPartyId: string | null;
  readonly premiseId: string | null;
}

export interface DeviceEvent {
  readonly id: number;
  readonly lifecycle: 'inventory' | 'asset' | 'registry';
  readonly fromStatus: string | null;
  readonly toStatus: string;
  readonly actorPartyId: string;
  readonly occurredAt: string;
  readonly location: string | null;
  readonly reason: string | null;
}

export interface ReturnLine {
  readonly id: string;
  readonly returnId: string;
  readonly lineNo: number;
  readonly deviceEui: string;
  readonly deviceType: string;
  readonly model: string;
  readonly reason: string;
  readonly found: string;
  readonly incidentId: string;
  readonly changeOfSupplier: boolean;
  readonly returnedBy: string;
  readonly removedFrom: string | null;
  readonly removedDistributor: number | null;
  readonly state: string;
  readonly custodianPartyId: string;
  readonly site: string;
  readonly sealsIntact: boolean;
  readonly triageCount: number;
  readonly custodyPass: number;
  readonly lastTriagedIn: number;
  readonly outcome: string | null;
  readonly fault: string | null;
  readonly noCredential: string | null;
  readonly vanilla: boolean;
  readonly grade: string | null;
  readonly stockLocation: string | null;
  readonly scrapReason: string | null;
  readonly reinstalledAt: string | null;
  readonly createdAt: string;
}

export interface LineEvent {
  readonly id: number;
  readonly kind: string;
  readonly partyId: string;
  readonly at: string;
  readonly details: Record<string, unknown>;
}

export interface StepResult {
  readonly step: string;
  readonly result: 'pass' | 'fail' | 'skipped' | string;
  readonly observations: string[];
}

export interface BenchResult {
  readonly outcome: string;
  readonly fault: string | null;
  readonly steps: StepResult[];
  readonly credentials: { supplier: string; networkOperator: string } | null;
}

export interface Facility {
  readonly id: string;
  readonly partyId: string;
  readonly name: string;
  readonly secure: boolean;
  readonly smets2Triage: boolean;
}

export interface Seal {
  readonly id: string;
  readonly intact: boolean;
}

/** The steps of a triage plan, in bench order (docs/returns.md); the server checks the names. */
export const TRIAGE_STEPS = ['seals-and-visual', 'power-on', 'join', 'diagnostics', 'wan-test', 'credential-read'] as const;

/** Return reasons offered on the form (docs/returns.md); the server decides which it accepts. */
export const RETURN_REASONS = [
  'no-fault-general',
  'customer-request',
  'meter-exchange',
  'change-of-supplier',
  'damaged-case',
  'damaged-connector',
  'illegal-interference-missing-seals',
  'environmental-conditions-exceeded',
  'sm-wan-fault',
  'smhan-interface-fault',
  'led-fault',
  'aerial-fault',
  'manufacturing-defect',
  'no-fault-non-domestic-opt-out',
  'no-fault-dual-supplier-han-variant',
  'no-fault-sm-wan-variant-dcc',
  'lost-or-stolen',
];

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '');
