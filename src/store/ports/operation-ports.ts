// The store's ports for vends, WAN coverage, work orders, device alerts and meta: plain domain types in and out; the Kysely adapters map rows.
import type { DeviceAlert, NoWanPremiseRow, PremiseWanStatus, Vend, Eui, WorkOrder, OrderCommand, WanCoverage, KeyedPage, PageRequest } from '../../domain/index.ts';

export interface VendRepository {
  byKey(supplierPartyId: string, idempotencyKey: string): Promise<Vend | undefined>;
  /** Locks the (supplier, device) counter for the transaction; 0 when none was issued yet. */
  lockCounter(supplierPartyId: string, deviceEui: Eui): Promise<bigint>;
  setCounter(supplierPartyId: string, deviceEui: Eui, counter: bigint): Promise<void>;
  penceSince(deviceEui: Eui, since: Date): Promise<number>;
  insert(v: Vend): Promise<void>;
  /**
   * Locks the (supplier, device) counters and returns the next `n` command counters: above every
   * UTRN and command counter issued, below the next UTRN's (which is last UTRN + 2^32).
   */
  allocateCommandCounters(supplierPartyId: string, deviceEui: Eui, n: number): Promise<bigint[]>;
  /** The same for many devices in one statement: each device's first new counter (n in a row from it). */
  allocateCommandCountersMany(partyId: string, deviceEuis: readonly Eui[], n: number): Promise<Map<Eui, bigint>>;
  /** One page, newest first. */
  page(filter: { supplierPartyId?: string; deviceEui?: Eui; kind?: Vend['kind'] }, page: PageRequest): Promise<KeyedPage<Vend>>;
}

/** WAN coverage by postcode and what is known of each premise's hub and prepayment state. */
export interface WanRepository {
  upsertCoverage(rows: ReadonlyArray<{ postcode: string; coverage: Exclude<WanCoverage, 'unknown'>; anticipatedAt: Date | null }>, at: Date): Promise<void>;
  coverage(postcode: string): Promise<{ coverage: Exclude<WanCoverage, 'unknown'>; anticipatedAt: Date | null } | undefined>;
  status(premiseId: string): Promise<PremiseWanStatus | undefined>;
  statuses(premiseIds: readonly string[]): Promise<PremiseWanStatus[]>;
  upsertStatus(rows: readonly PremiseWanStatus[]): Promise<void>;
  /** Prepayment premises whose hub has no WAN, optionally one Supplier's. */
  noWanPrepayment(supplierPartyId?: string): Promise<NoWanPremiseRow[]>;
}

export interface WorkOrderRepository {
  insert(o: WorkOrder, commands: readonly OrderCommand[]): Promise<void>;
  get(id: string): Promise<WorkOrder | undefined>;
  getForUpdate(id: string): Promise<WorkOrder | undefined>;
  /** Orders locked for the transaction, in id order (so concurrent uploads cannot deadlock). */
  getManyForUpdate(ids: readonly string[]): Promise<WorkOrder[]>;
  commands(orderId: string): Promise<OrderCommand[]>;
  /** Commands of many orders, locked for the transaction (an upload). */
  commandsForUpdate(orderIds: readonly string[]): Promise<OrderCommand[]>;
  list(filter: { supplierPartyId?: string; state?: WorkOrder['state']; limit: number }): Promise<WorkOrder[]>;
  /** One page, newest first. */
  page(
    filter: {
      supplierPartyId?: string;
      state?: WorkOrder['state'];
      premiseId?: string;
      /** Usernames, null for the unassigned: any of them. */ assignees?: ReadonlyArray<string | null>;
    },
    page: PageRequest,
  ): Promise<KeyedPage<WorkOrder>>;
  assign(id: string, a: { assignedTo: string | null; assignedAt: Date; assignedBy: string }): Promise<void>;
  setState(id: string, patch: { state: WorkOrder['state']; pulledBy?: string; pulledAt?: Date; closedAt?: Date | null }): Promise<void>;
  recordResponses(
    rows: ReadonlyArray<{
      orderId: string;
      seq: number;
      state: 'executed' | 'refused';
      response: string;
      responseKind: 'response' | 'alert';
      outcome: string;
      deliveredAt: Date;
      uploadedAt: Date;
    }>,
  ): Promise<void>;
  /** Seconds from each order's creation to each of its commands' verified response, for the response-time report. */
  confirmedLatencies(limit: number): Promise<Array<{ useCase: string; seconds: number }>>;
  /** Marks pending commands of orders past expiry as expired, and those orders expired; returns the orders. */
  expire(now: Date): Promise<string[]>;
}

export interface DeviceAlertRepository {
  /** false when this device's alert with this counter was recorded already. */
  insert(a: DeviceAlert): Promise<boolean>;
  latest(deviceEui: Eui, alertCode: number): Promise<DeviceAlert | undefined>;
}

export interface MetaRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}
