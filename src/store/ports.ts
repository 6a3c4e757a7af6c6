import type {
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
} from '../domain/index.ts';

/** The store's ports: plain domain types in and out; the Kysely adapters map rows. */
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
}

export interface AuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly actorPartyId: string;
  readonly action: string;
  readonly entity: string;
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash-chained audit log. */
export interface AuditRepository {
  /** Serialises appenders for the rest of the transaction; returns the hash of the last entry, or null. */
  lockHead(): Promise<string | null>;
  nextId(): Promise<number>;
  insert(e: AuditEntry): Promise<void>;
  page(afterId: number, limit: number): Promise<AuditEntry[]>;
  anchor(): Promise<{ lastPrunedId: number; lastPrunedHash: string } | null>;
  /** Removes entries older than `before`, keeping the last removed hash as the chain's anchor. */
  prune(before: Date, at: Date): Promise<number>;
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
  countSince(partyId: string, type: string, since: Date): Promise<number>;
  /** The first held request of this type from this party, if any is still held. */
  firstHeld(partyId: string, type: string): Promise<CommandRequest | undefined>;
  insert(r: Omit<CommandRequest, 'id' | 'releasedBy' | 'releasedAt'>): Promise<number>;
  releaseHeld(partyId: string, type: string, by: string, at: Date): Promise<number>;
  insertAlert(a: AnomalyAlert): Promise<void>;
  alerts(partyId?: string): Promise<AnomalyAlert[]>;
}

export interface Vend {
  readonly id: string;
  readonly supplierPartyId: string;
  readonly idempotencyKey: string;
  readonly deviceEui: Eui;
  readonly kind: 'credit' | 'config';
  /** The request as canonical JSON: a retry must ask for the same thing. */
  readonly request: string;
  readonly counter: bigint;
  readonly code: string;
  readonly pence: number;
  readonly requestedBy: string;
  readonly createdAt: Date;
}

export interface VendRepository {
  byKey(supplierPartyId: string, idempotencyKey: string): Promise<Vend | undefined>;
  /** Locks the (supplier, device) counter for the transaction; 0 when none was issued yet. */
  lockCounter(supplierPartyId: string, deviceEui: Eui): Promise<bigint>;
  setCounter(supplierPartyId: string, deviceEui: Eui, counter: bigint): Promise<void>;
  penceSince(deviceEui: Eui, since: Date): Promise<number>;
  insert(v: Vend): Promise<void>;
}

export interface MetaRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
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
}
