import type {
  AuditEntry,
  DeviceAlert,
  NoWanPremiseRow,
  PremiseWanStatus,
  ReturnDimension,
  ReturnGroup,
  Vend,
  AssetStatus,
  Device,
  DeviceEvent,
  DeviceType,
  Eui,
  Installation,
  InventoryStatus,
  NewDevice,
  NewDeviceEvent,
  Party,
  Premise,
  AffectedDevice,
  AnomalyAlert,
  CommandRequest,
  Duty,
  DutyRecord,
  DutyState,
  Vulnerability,
  WorkOrder,
  OrderCommand,
  WanCoverage,
  Facility,
  ReturnOrder,
  ReturnLine,
  ReturnEvent,
  RemovalNotice,
  RetentionAnchor,
  SignedTreeHead,
} from '../domain/index.ts';

/** The store's ports: plain domain types in and out; the Kysely adapters map rows. */
export type { AuditEntry, DeviceAlert, NoWanPremiseRow, PremiseWanStatus, RetentionAnchor, ReturnDimension, ReturnGroup, SignedTreeHead, Vend };
export interface PartyRepository {
  get(id: string): Promise<Party | undefined>;
  /** The party a key belongs to, and the key's label: the person or system using it. */
  byApiKeyHash(keyHash: string): Promise<{ party: Party; label: string } | undefined>;
  list(): Promise<Party[]>;
  insert(party: Party): Promise<void>;
  addApiKey(partyId: string, keyHash: string, label: string): Promise<void>;
}

export interface DeviceListFilter {
  /** Only devices this party is related to (supplier, owner, custodian); undefined for all. */
  readonly visibleTo?: string;
  readonly type?: DeviceType;
  readonly inventoryStatus?: InventoryStatus;
  readonly assetStatus?: AssetStatus;
  /** Keyset pagination: EUIs strictly after this one. */
  readonly after?: Eui;
  readonly limit: number;
}

export interface DeviceStatusPatch {
  readonly inventoryStatus?: InventoryStatus;
  readonly assetStatus?: AssetStatus;
  readonly custodianPartyId?: string | null;
  readonly supplierPartyId?: string | null;
  readonly premiseId?: string | null;
}

export interface DeviceRepository {
  get(eui: Eui): Promise<Device | undefined>;
  /** Reads and locks the row for the rest of the transaction. */
  getForUpdate(eui: Eui): Promise<Device | undefined>;
  /** Which of these EUIs are already registered. */
  existing(euis: readonly Eui[]): Promise<Set<Eui>>;
  /** Inserts devices, all belonging to one registration act (see DeviceEventRepository.recordRegistration). */
  insertMany(devices: readonly NewDevice[], at: Date, registrationId?: number | null): Promise<void>;
  /** Sets the premise of many devices at once (bulk installation). */
  assignPremises(pairs: ReadonlyArray<{ eui: Eui; premiseId: string }>, at: Date): Promise<void>;
  update(eui: Eui, patch: DeviceStatusPatch, at: Date): Promise<void>;
  /** Many devices, locked for the transaction, in EUI order. */
  getManyForUpdate(euis: readonly Eui[]): Promise<Device[]>;
  /** One statement: each device's asset status and parties, as given. */
  setAssetMany(
    rows: ReadonlyArray<{ eui: Eui; assetStatus: AssetStatus; custodianPartyId: string | null; supplierPartyId: string | null; premiseId: string | null }>,
    at: Date,
  ): Promise<void>;
  list(filter: DeviceListFilter): Promise<Device[]>;
}

export interface NewRegistration {
  readonly actorPartyId: string;
  readonly at: Date;
  readonly deviceCount: number;
  readonly source: string | null;
}

export interface DeviceEventRepository {
  appendMany(events: readonly NewDeviceEvent[]): Promise<void>;
  /** Records one registration act; its id goes on every device it registers. */
  recordRegistration(r: NewRegistration): Promise<number>;
  /** The device's history: its registration (id 0, lifecycle 'registry') and then its events. */
  forDevice(eui: Eui, opts: { afterId?: number; limit: number }): Promise<DeviceEvent[]>;
}

export interface PremiseRepository {
  get(id: string): Promise<Premise | undefined>;
  insert(premise: Premise): Promise<void>;
  insertMany(premises: readonly Premise[]): Promise<void>;
  install(installation: Installation): Promise<void>;
  installMany(installations: readonly Installation[]): Promise<void>;
  uninstall(deviceEui: Eui): Promise<void>;
  uninstallMany(deviceEuis: readonly Eui[]): Promise<void>;
  installationsOf(deviceEuis: readonly Eui[]): Promise<Installation[]>;
  /** The hub (CHF) installed at each of these premises. */
  hubsAt(premiseIds: readonly string[]): Promise<Map<string, Eui>>;
  getMany(ids: readonly string[]): Promise<Premise[]>;
  installations(premiseId: string): Promise<Installation[]>;
  installationOf(deviceEui: Eui): Promise<Installation | undefined>;
}

export interface SimFleetRecord {
  readonly id: string;
  readonly seed: string;
  readonly premises: number;
}

/** Simulated fleets and the saved state of their devices. */
export interface SimulationRepository {
  insertFleet(f: SimFleetRecord): Promise<void>;
  fleet(id: string): Promise<SimFleetRecord | undefined>;
  fleets(): Promise<SimFleetRecord[]>;
  deviceState(eui: Eui): Promise<unknown | undefined>;
  saveDeviceState(eui: Eui, fleetId: string, state: unknown, at: Date): Promise<void>;
  deviceStates(euis: readonly Eui[]): Promise<Map<Eui, unknown>>;
  saveDeviceStates(rows: ReadonlyArray<{ eui: Eui; state: unknown }>, fleetId: string, at: Date): Promise<void>;
}

/** A leaf of the audit log as stored: its position, its entry (null if the row is gone) and its stored hash. */
export interface StoredLeaf {
  readonly position: number;
  readonly entryId: number;
  readonly entry: AuditEntry | null;
  /** The level-0 node, hex (null if missing). */
  readonly hash: string | null;
}

/** The audit Merkle log: entries, the pending queue, the tree's nodes, signed heads, the retention anchor. */
export interface AuditRepository {
  /** Inserts an entry and marks it pending, in one statement and no lock shared with other writers; its id. */
  append(e: Omit<AuditEntry, 'id'>): Promise<number>;
  /** Entries by id, after `afterId`; only those `actorPartyId` acted in, when given. */
  page(afterId: number, limit: number, actorPartyId?: string): Promise<AuditEntry[]>;
  entry(id: number): Promise<AuditEntry | undefined>;
  /** The sequencer's advisory lock for the rest of the transaction: false if another sequencer holds it. */
  tryLockSequencer(): Promise<boolean>;
  /** Waits for the sequencer's lock (retention). */
  lockSequencer(): Promise<void>;
  /** Committed entries not yet in the tree, by id. */
  pendingBatch(limit: number): Promise<AuditEntry[]>;
  pendingStats(): Promise<{ count: number; oldest: Date | null }>;
  /** Node hashes (hex) by `level/idx`; absent ones are left out. */
  nodes(coords: ReadonlyArray<{ level: number; idx: number }>): Promise<Map<string, string>>;
  /** Places entries at positions, stores the nodes they complete, and clears their pending marks. */
  integrate(leaves: ReadonlyArray<{ position: number; entryId: number }>, nodes: ReadonlyArray<{ level: number; idx: number; hash: string }>): Promise<void>;
  insertHead(h: SignedTreeHead): Promise<void>;
  latestHead(): Promise<SignedTreeHead | undefined>;
  head(treeSize: number): Promise<SignedTreeHead | undefined>;
  /** Heads with tree size above `afterSize`, smallest first. */
  heads(afterSize: number, limit: number): Promise<SignedTreeHead[]>;
  positionOf(entryId: number): Promise<number | undefined>;
  /** Leaves from `fromPosition` on, by position, with their entries and stored hashes. */
  leaves(fromPosition: number, limit: number): Promise<StoredLeaf[]>;
  /** Entries that are neither leaves nor pending (a pending mark removed behind the sequencer's back). */
  orphans(limit: number): Promise<number[]>;
  anchor(): Promise<RetentionAnchor | null>;
  setAnchor(a: RetentionAnchor): Promise<void>;
  /** The first leaf at or after `from` whose entry is not older than `before`, or null. */
  firstLeafNotBefore(from: number, before: Date): Promise<number | null>;
  /** Retention: removes the entries of leaves [from, to); the leaves' hashes stay. */
  removeEntries(from: number, to: number): Promise<number>;
}

export interface ObligationsRepository {
  insertVulnerability(v: Vulnerability): Promise<void>;
  vulnerability(id: string): Promise<Vulnerability | undefined>;
  /** Registered devices matching a vulnerability's scope. */
  affectedDevices(scope: { manufacturer: string; models: readonly string[]; firmwareVersions: readonly string[]; deviceTypes: readonly DeviceType[] }): Promise<AffectedDevice[]>;
  /** Models of this manufacturer known to the registry. */
  knownModels(manufacturer: string): Promise<string[]>;
  arrangements(manufacturer: string): Promise<Map<string, { g321Exemption: boolean }>>;
  upsertArrangement(partyId: string, manufacturer: string, at: Date, g321Exemption: boolean): Promise<void>;
  insertDuties(duties: readonly DutyRecord[]): Promise<void>;
  duty(id: string): Promise<DutyRecord | undefined>;
  closeDuty(id: string, patch: { state: 'done' | 'exempt'; evidence: string | null; exemptReason: string | null; closedBy: string; closedAt: Date }): Promise<void>;
  duties(filter: { partyId?: string; duty?: Duty; state?: DutyState; overdueAt?: Date; vulnerabilityId?: string }): Promise<DutyRecord[]>;
}

export interface CommandRequestRepository {
  /** Serialises the volume decisions of one party and request type for the rest of the transaction. */
  lockWindow(partyId: string, type: string): Promise<void>;
  countSince(partyId: string, type: string, since: Date): Promise<number>;
  /** The first held request of this type from this party, if any is still held. */
  firstHeld(partyId: string, type: string): Promise<CommandRequest | undefined>;
  insert(r: Omit<CommandRequest, 'id' | 'releasedBy' | 'releasedAt'>): Promise<number>;
  releaseHeld(partyId: string, type: string, by: string, at: Date): Promise<number>;
  /** Uses up one released request for this target (its retry goes through): marks it sent; false if none. */
  takeReleased(partyId: string, type: string, target: string): Promise<boolean>;
  insertAlert(a: AnomalyAlert): Promise<void>;
  alerts(partyId?: string): Promise<AnomalyAlert[]>;
}

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

export interface ReturnsRepository {
  insertFacility(f: Facility): Promise<void>;
  facility(id: string): Promise<Facility | undefined>;
  insertReturn(r: ReturnOrder, lines: readonly ReturnLine[]): Promise<void>;
  returnOrder(id: string): Promise<ReturnOrder | undefined>;
  line(id: string): Promise<ReturnLine | undefined>;
  lineForUpdate(id: string): Promise<ReturnLine | undefined>;
  linesForUpdate(ids: readonly string[]): Promise<ReturnLine[]>;
  /** Writes the changeable columns of many lines in one statement. */
  saveLines(lines: readonly ReturnLine[]): Promise<void>;
  linesOf(returnId: string): Promise<ReturnLine[]>;
  /** The device's return line that is still open, if any. */
  openLineOf(deviceEui: string): Promise<ReturnLine | undefined>;
  /** Which of these devices are on an open return. */
  openLinesOf(deviceEuis: readonly string[]): Promise<Set<string>>;
  list(filter: { partyId?: string; state?: string; limit: number; afterId?: string }): Promise<ReturnLine[]>;
  updateLine(id: string, patch: Partial<Omit<ReturnLine, 'id' | 'returnId' | 'lineNo' | 'createdAt'>>): Promise<void>;
  appendEvents(events: ReadonlyArray<Omit<ReturnEvent, 'id'>>): Promise<void>;
  events(lineId: string): Promise<ReturnEvent[]>;
  insertRemovalNotices(n: ReadonlyArray<Omit<RemovalNotice, 'id'>>): Promise<void>;
  removalNotices(distributorId: number, limit: number): Promise<RemovalNotice[]>;
  /** Grouped counts for the analytics; the partyId scope limits to one returning party. */
  groups(dim: ReturnDimension | null, opts: { excludeChangeOfSupplier: boolean; partyId?: string }): Promise<ReturnGroup[]>;
}

/** Everything a use case may touch, bound to one transaction. */
export interface StoreTx {
  readonly parties: PartyRepository;
  readonly devices: DeviceRepository;
  readonly events: DeviceEventRepository;
  readonly premises: PremiseRepository;
  readonly meta: MetaRepository;
  readonly simulation: SimulationRepository;
  readonly audit: AuditRepository;
  readonly obligations: ObligationsRepository;
  readonly commandRequests: CommandRequestRepository;
  readonly vends: VendRepository;
  readonly wan: WanRepository;
  readonly workOrders: WorkOrderRepository;
  readonly deviceAlerts: DeviceAlertRepository;
  readonly returns: ReturnsRepository;
}
