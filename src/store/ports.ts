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
  ApiKeyRecord,
  ApiKeyState,
  DccUserRole,
  PartyRecord,
  PartyRole,
  PartyStatus,
  PersonRole,
  Session,
  User,
  UserStatus,
  KeyedPage,
  PageRequest,
  CommandRequestStatus,
  SensitiveCommand,
  VulnerabilityComponent,
  RetentionAnchor,
  SignedTreeHead,
} from '../domain/index.ts';

/** Who a party is, for a list scoped to what it may see: its id, and its region when it is a DNO. */
export interface PartyScope {
  readonly partyId: string;
  readonly distributorId: number | null;
}

/** The store's ports: plain domain types in and out; the Kysely adapters map rows. */
export type { AuditEntry, DeviceAlert, NoWanPremiseRow, PremiseWanStatus, RetentionAnchor, ReturnDimension, ReturnGroup, SignedTreeHead, Vend };
export interface PartyRepository {
  get(id: string): Promise<Party | undefined>;
  /** The party with its User roles and standing. */
  record(id: string): Promise<PartyRecord | undefined>;
  recordForUpdate(id: string): Promise<PartyRecord | undefined>;
  byEui(eui: string): Promise<PartyRecord | undefined>;
  list(): Promise<Party[]>;
  /** Keyset page in id order. */
  page(filter: { role?: PartyRole; userRole?: DccUserRole; status?: PartyStatus; after?: string; limit: number }): Promise<PartyRecord[]>;
  /** Without User roles, the party holds those its platform role implies. */
  insert(party: Party & { readonly userRoles?: readonly DccUserRole[] }): Promise<void>;
  update(
    id: string,
    patch: {
      name?: string;
      role?: PartyRole;
      eui?: string | null;
      distributorId?: number | null;
      userRoles?: readonly DccUserRole[];
      status?: PartyStatus;
      suspendedReason?: string | null;
    },
    at: Date,
  ): Promise<void>;
  /** A key with the roles keys had before roles existed (operator, field engineer, approver, auditor). */
  addApiKey(partyId: string, keyHash: string, label: string): Promise<void>;
}

export interface ApiKeyRepository {
  insert(key: ApiKeyRecord, keyHash: string): Promise<void>;
  /** The key and its party, by the SHA-256 of the secret. */
  byHash(keyHash: string): Promise<{ key: ApiKeyRecord; party: PartyRecord } | undefined>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  getForUpdate(id: string): Promise<ApiKeyRecord | undefined>;
  /** The party's unrevoked, unexpired key of this name, if any. */
  activeNamed(partyId: string, name: string, now: Date): Promise<ApiKeyRecord | undefined>;
  page(filter: { partyId?: string; state?: ApiKeyState; now: Date; after?: string; limit: number }): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: Date, reason: string): Promise<void>;
  touch(id: string, at: Date): Promise<void>;
}

export interface UserRepository {
  insert(user: User, passwordHash: string): Promise<void>;
  get(id: string): Promise<User | undefined>;
  getForUpdate(id: string): Promise<User | undefined>;
  byUsername(username: string): Promise<User | undefined>;
  /** The user and the stored password hash, locked for the sign-in's transaction. */
  byUsernameForUpdate(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
  page(filter: { partyId?: string; role?: PersonRole; status?: UserStatus; after?: string; limit: number }): Promise<User[]>;
  /** The person of this party with this subject at its identity provider. */
  byOidcSubject(partyId: string, subject: string): Promise<User | undefined>;
  oidcSubjectOf(id: string): Promise<string | null>;
  setOidcSubject(id: string, subject: string | null): Promise<void>;
  update(
    id: string,
    patch: { name?: string; roles?: readonly PersonRole[]; status?: UserStatus; passwordHash?: string; failedAttempts?: number; lockedUntil?: Date | null },
    at: Date,
  ): Promise<void>;
}

export interface IdentityProviderConfig {
  readonly partyId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface OidcLogin {
  readonly stateHash: string;
  readonly partyId: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
}

/** Parties' OpenID Connect identity providers and the sign-ins in flight. */
export interface IdentityProviderRepository {
  get(partyId: string): Promise<IdentityProviderConfig | undefined>;
  upsert(c: IdentityProviderConfig, at: Date): Promise<void>;
  insertLogin(l: OidcLogin): Promise<void>;
  /** The sign-in, locked; the caller marks it used so that a state works once. */
  loginForUpdate(stateHash: string): Promise<OidcLogin | undefined>;
  markLoginUsed(stateHash: string, at: Date): Promise<void>;
}

export interface SessionRepository {
  insert(s: Session): Promise<void>;
  /** The session, its user and the user's party. */
  byToken(tokenHash: string): Promise<{ session: Session; user: User; party: PartyRecord } | undefined>;
  touch(tokenHash: string, idleExpiresAt: Date): Promise<void>;
  revoke(tokenHash: string, at: Date): Promise<void>;
  revokeAllOf(userId: string, at: Date): Promise<number>;
  recordAttempt(a: { username: string; source: string; at: Date; ok: boolean }): Promise<void>;
  attemptsSince(by: { username: string } | { source: string }, since: Date): Promise<number>;
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
  /** One page in EUI order. */
  page(filter: DevicePageFilter, page: PageRequest): Promise<KeyedPage<Device>>;
}

export interface DevicePageFilter {
  /** Only devices this party is the supplier, owner or custodian of; undefined for all. */
  readonly visibleTo?: string;
  readonly type?: DeviceType;
  readonly inventoryStatus?: InventoryStatus;
  readonly assetStatus?: AssetStatus;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly premiseId?: string;
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
  /** One page in id order; visibleTo: the premises the party supplies, and a DNO's region. */
  page(filter: { visibleTo?: PartyScope; supplierPartyId?: string; distributorId?: number; postcode?: string }, page: PageRequest): Promise<KeyedPage<Premise>>;
}

/** The rates a fleet was generated with, where not the simulation's defaults. */
export interface SimFleetRates {
  readonly noWanRate?: number;
  readonly intermittentWanRate?: number;
  readonly prepaymentRate?: number;
  readonly gasRate?: number;
}

export interface SimFleetRecord {
  readonly id: string;
  readonly seed: string;
  readonly premises: number;
  readonly rates: SimFleetRates;
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
  duties(filter: DutyFilter): Promise<DutyRecord[]>;
  /** One page, soonest deadline first. */
  dutyPage(filter: DutyFilter, page: PageRequest): Promise<KeyedPage<DutyRecord>>;
  /** One page in id order; visibleTo: the vulnerabilities the party recorded or owes a duty under. */
  vulnerabilityPage(filter: { visibleTo?: string; manufacturer?: string; component?: VulnerabilityComponent }, page: PageRequest): Promise<KeyedPage<Vulnerability>>;
}

export interface DutyFilter {
  readonly partyId?: string;
  readonly duty?: Duty;
  readonly state?: DutyState;
  readonly overdueAt?: Date;
  readonly vulnerabilityId?: string;
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
  /** One page, newest first. */
  page(filter: { partyId?: string; status?: CommandRequestStatus; commandType?: SensitiveCommand }, page: PageRequest): Promise<KeyedPage<CommandRequest>>;
}

/** The DUIS RequestID counter per originator: strictly increasing, never reused (docs/duis.md). */
export interface DuisCounterRepository {
  /** The next `n` counters of an originator, above every one given out or claimed before. */
  next(originator: Eui, n: number): Promise<bigint[]>;
  /** Takes a counter chosen elsewhere (a top-up's is its UTRN's): refused unless above the last. */
  claim(originator: Eui, counter: bigint): Promise<void>;
  last(originator: Eui): Promise<bigint | undefined>;
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
  page(filter: { supplierPartyId?: string; state?: WorkOrder['state']; premiseId?: string }, page: PageRequest): Promise<KeyedPage<WorkOrder>>;
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
  /** One page, newest first; visibleTo: the removals a party made, and those in a DNO's region. */
  noticePage(filter: { visibleTo?: PartyScope; distributorId?: number; deviceEui?: string }, page: PageRequest): Promise<KeyedPage<RemovalNotice>>;
  facilityPage(filter: { partyId?: string; secure?: boolean; smets2Triage?: boolean }, page: PageRequest): Promise<KeyedPage<Facility>>;
  orderPage(filter: { partyId?: string; reference?: string }, page: PageRequest): Promise<KeyedPage<ReturnOrder>>;
  /** One page in id order; visibleTo: as canSeeLine (returned, holds, or handled the line). */
  linePage(filter: { visibleTo?: string; state?: string; returnId?: string; deviceEui?: string }, page: PageRequest): Promise<KeyedPage<ReturnLine>>;
  /** Grouped counts for the analytics; the partyId scope limits to one returning party. */
  groups(dim: ReturnDimension | null, opts: { excludeChangeOfSupplier: boolean; partyId?: string }): Promise<ReturnGroup[]>;
}

/** Everything a use case may touch, bound to one transaction. */
/** meterops' record of a job it enqueued (the queue's own state is the queue library's). */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  /** The party whose job it is (who may read its status); null for the platform's own. */
  readonly partyId: string | null;
  readonly parentId: string | null;
  readonly progressDone: number;
  readonly progressTotal: number | null;
  /** When the job's own transaction committed (jobs whose effects are one transaction). */
  readonly committedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface JobRepository {
  /** The queue library's own parameterised statements, in this transaction. */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  insert(r: Pick<JobRecord, 'id' | 'name' | 'partyId' | 'parentId' | 'progressTotal' | 'createdAt'>): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /** A party's jobs, newest first (keyset order: created_at, id, both descending). */
  page(partyId: string, page: PageRequest): Promise<KeyedPage<JobRecord>>;
  children(parentId: string): Promise<JobRecord[]>;
  setProgress(id: string, done: number, total: number | null, at: Date): Promise<void>;
  addProgress(id: string, done: number, at: Date): Promise<void>;
  /** Marks the job's transaction committed; false if it already was (the job ran before). */
  markCommitted(id: string, at: Date): Promise<boolean>;
}

export interface StoreTx {
  readonly parties: PartyRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly identityProviders: IdentityProviderRepository;
  readonly devices: DeviceRepository;
  readonly events: DeviceEventRepository;
  readonly premises: PremiseRepository;
  readonly meta: MetaRepository;
  readonly simulation: SimulationRepository;
  readonly audit: AuditRepository;
  readonly obligations: ObligationsRepository;
  readonly commandRequests: CommandRequestRepository;
  readonly vends: VendRepository;
  readonly duisCounters: DuisCounterRepository;
  readonly wan: WanRepository;
  readonly workOrders: WorkOrderRepository;
  readonly deviceAlerts: DeviceAlertRepository;
  readonly returns: ReturnsRepository;
  readonly jobs: JobRepository;
}
