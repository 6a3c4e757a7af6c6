// The store's ports for security obligations, held command requests and DUIS counters: plain domain types in and out; the Kysely adapters map rows.
import type {
  DeviceType,
  Eui,
  AffectedDevice,
  AnomalyAlert,
  CommandRequest,
  Duty,
  DutyRecord,
  DutyState,
  Vulnerability,
  KeyedPage,
  PageRequest,
  CommandRequestStatus,
  SensitiveCommand,
  VulnerabilityComponent,
  Awareness,
  FleetManufacturerRow,
  MaterialityJudgement,
} from '../../domain/index.ts';

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
  closeDuty(
    id: string,
    patch: {
      state: 'done' | 'exempt';
      evidence: string | null;
      exemptReason: string | null;
      closedBy: string;
      closedAt: Date;
      sscSteps?: string | null;
      stepsCompleteBy?: Date | null;
    },
  ): Promise<void>;
  /** Exempts a party's open duties under a vulnerability (judged not material); how many. */
  exemptOpenDuties(vulnerabilityId: string, partyId: string, patch: { exemptReason: string; closedBy: string; closedAt: Date }): Promise<number>;
  insertAwareness(a: Awareness): Promise<void>;
  /** A party's awareness of a vulnerability, locked for the rest of the transaction. */
  awareness(vulnerabilityId: string, partyId: string): Promise<Awareness | undefined>;
  setMateriality(vulnerabilityId: string, partyId: string, j: MaterialityJudgement): Promise<void>;
  /** Registered devices per Responsible Supplier, manufacturer, type and generation (one party's, or all). */
  fleetManufacturers(partyId?: string): Promise<FleetManufacturerRow[]>;
  /** Every recorded arrangement (one party's, or all). */
  arrangementsOf(partyId?: string): Promise<{ partyId: string; manufacturer: string; establishedAt: Date; g321Exemption: boolean }[]>;
  duties(filter: DutyFilter): Promise<DutyRecord[]>;
  /** One page, soonest deadline first. */
  dutyPage(filter: DutyFilter, page: PageRequest): Promise<KeyedPage<DutyRecord>>;
  /** One page in id order; visibleTo: the vulnerabilities the party recorded, is aware of or owes a duty under. */
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
  /**
   * The volume decision, made and recorded in one statement under that same lock (migration 0017):
   * a released request for the target is used up (status `released`, id 0); else the request is
   * recorded `held` when one is already held or the window would go over `max`, `sent` otherwise.
   */
  decide(d: {
    partyId: string;
    commandType: SensitiveCommand;
    target: string;
    requestedBy: string;
    requestedAt: Date;
    since: Date;
    max: number;
  }): Promise<{ id: number; status: CommandRequestStatus; wasHeld: boolean; inWindow: number }>;
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
