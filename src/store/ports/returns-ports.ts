// The store's ports for returns, triage and refurbishment: plain domain types in and out; the Kysely adapters map rows.
import type {
  IncidentAttribution,
  ReturnDimension,
  ReturnGroup,
  StockLocationFigures,
  Facility,
  ReturnOrder,
  ReturnLine,
  ReturnEvent,
  RemovalNotice,
  KeyedPage,
  PageRequest,
} from '../../domain/index.ts';
import type { PartyScope } from './access-ports.ts';

/** Who may triage what (from governance.triage): a line's NFF counts only when its last pass fits one. */
export interface AllowedTriage {
  readonly generation: 'SMETS1' | 'SMETS2';
  readonly deviceType?: string;
  readonly method?: string;
  readonly roles: readonly string[];
}

export interface ReturnsRepository {
  insertFacility(f: Facility): Promise<void>;
  facility(id: string): Promise<Facility | undefined>;
  facilityForUpdate(id: string): Promise<Facility | undefined>;
  /** Writes a facility's granted status: secure, SMETS2 triage, the grant and the last revocation. */
  updateFacilityGrant(f: Facility): Promise<void>;
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
  groups(dim: ReturnDimension | null, opts: { excludeChangeOfSupplier: boolean; partyId?: string; allowedTriage: readonly AllowedTriage[] }): Promise<ReturnGroup[]>;
  /** The stock in hand by stock location (the `limit` fullest), vanilla against region-locked; total: how many locations in all. */
  stockByLocation(opts: { excludeChangeOfSupplier: boolean; partyId?: string; limit: number }): Promise<{ locations: StockLocationFigures[]; total: number }>;
  /** CH + meter incidents (one return from one premise) attributed by triage outcome. */
  incidentAttribution(opts: { excludeChangeOfSupplier: boolean; partyId?: string }): Promise<IncidentAttribution>;
}
