// What the supplier operations routes answer (the OpenAPI at /openapi.json), as the pages read it.

export interface Clock {
  readonly due: string;
  readonly state: string;
}

/** One entry of GET /v1/no-wan/visit-queue (SECMP0032), most at risk first. */
export interface VisitQueueEntry {
  readonly premiseId: string;
  readonly postcode: string;
  readonly supplierPartyId: string;
  readonly creditPence: number | null;
  readonly supply: string | null;
  readonly wanLostAt: string;
  readonly daysWithoutWan: number;
  readonly fix30: Clock;
  readonly fix90: Clock;
  readonly risk: number;
  readonly why: string[];
}

export interface Premise {
  readonly id: string;
  readonly mpan: string | null;
  readonly mprn: string | null;
  readonly postcode: string;
  readonly distributorId: number;
  readonly supplierPartyId: string | null;
  readonly createdAt: string;
}

export interface PremiseDetail extends Premise {
  readonly installations: Array<{ premiseId: string; deviceEui: string; hubEui: string | null; installedAt: string }>;
}

export interface Device {
  readonly eui: string;
  readonly type: string;
  readonly smetsGeneration: string | null;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly inventoryStatus: string;
  readonly assetStatus: string;
}

/** GET /v1/devices/{eui}/route: how a request would reach the device, and why. */
export interface RouteDecision {
  readonly deviceEui: string;
  readonly request: string;
  readonly coverage: string;
  readonly hubWan: string;
  readonly paymentMode: string;
  readonly route: string;
  readonly alternatives: string[];
  readonly reasons: string[];
}

export const ROUTE_REQUESTS = ['enableSupply', 'disableSupply', 'armSupply', 'topUp', 'readStatus', 'credentialChange'] as const;

export interface Vend {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly deviceEui: string;
  readonly kind: 'credit' | 'config';
  readonly code: string;
  readonly counter: string;
  readonly pence: number;
  readonly createdAt: string;
}

export interface WorkOrder {
  readonly id: string;
  readonly supplierPartyId: string;
  readonly premiseId: string;
  readonly state: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly pulledBy: string | null;
  readonly pulledAt: string | null;
  readonly closedAt: string | null;
  /** The field engineer who carries it (a username); null: unassigned. */
  readonly assignedTo: string | null;
  readonly assignedAt: string | null;
  readonly assignedBy: string | null;
}

export interface WorkOrderCommand {
  readonly orderId: string;
  readonly seq: number;
  readonly deviceEui: string;
  readonly useCase: string;
  readonly variant: number;
  readonly counter: string;
  readonly pence: number;
  readonly state: string;
  readonly responseKind: string | null;
  readonly outcome: string | null;
  readonly deliveredAt: string | null;
  readonly uploadedAt: string | null;
}

export interface WorkOrderDetail {
  readonly order: WorkOrder;
  readonly commands: WorkOrderCommand[];
}

/** The use cases a work order takes (the OpenAPI's description of commands[].useCase). */
export const WORK_ORDER_USE_CASES = ['ECS42', 'ECS43', 'ECS44', 'ECS45', 'CS01a', 'GCS32', 'GCS33', 'GCS39', 'CS01b'] as const;

export const pounds = (pence: number | null | undefined): string => (pence === null || pence === undefined ? '–' : `£${(pence / 100).toFixed(2)}`);
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '–');
