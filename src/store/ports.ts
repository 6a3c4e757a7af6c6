// The store's ports, one file per concept under ports/, and StoreTx, which binds them to one transaction.
export type { AuditEntry, DeviceAlert, NoWanPremiseRow, PremiseWanStatus, RetentionAnchor, ReturnDimension, ReturnGroup, SignedTreeHead, Vend } from '../domain/index.ts';
export type * from './ports/access-ports.ts';
export type * from './ports/device-ports.ts';
export type * from './ports/simulation-ports.ts';
export type * from './ports/audit-ports.ts';
export type * from './ports/obligation-ports.ts';
export type * from './ports/operation-ports.ts';
export type * from './ports/returns-ports.ts';
export type * from './ports/job-ports.ts';
export type * from './ports/notice-ports.ts';
import type { ApiKeyRepository, IdentityProviderRepository, PartyRepository, SessionRepository, UserRepository } from './ports/access-ports.ts';
import type { AuditRepository } from './ports/audit-ports.ts';
import type { DeviceEventRepository, DeviceRepository, PremiseRepository } from './ports/device-ports.ts';
import type { JobRepository } from './ports/job-ports.ts';
import type { NoticeRepository } from './ports/notice-ports.ts';
import type { CommandRequestRepository, DuisCounterRepository, ObligationsRepository } from './ports/obligation-ports.ts';
import type { DeviceAlertRepository, MetaRepository, VendRepository, WanRepository, WorkOrderRepository } from './ports/operation-ports.ts';
import type { ReturnsRepository } from './ports/returns-ports.ts';
import type { SimulationRepository } from './ports/simulation-ports.ts';

/** Everything a use case may touch, bound to one transaction. */
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
  readonly notices: NoticeRepository;
}
