// The store's ports for devices, their events and premises: plain domain types in and out; the Kysely adapters map rows.
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
  Premise,
  KeyedPage,
  PageRequest,
} from '../../domain/index.ts';
import type { PartyScope } from './access-ports.ts';

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
