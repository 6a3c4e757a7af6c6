import type { Kysely } from 'kysely';
import { openDatabase, type Database, type DatabaseKind, type DatabaseTarget } from './database.ts';
import { migrate, type MigrationReport } from './migrate.ts';
import type { StoreTx } from './ports.ts';
import { deviceEventRepository } from './repositories/device-event-repository.ts';
import { deviceRepository } from './repositories/device-repository.ts';
import { metaRepository } from './repositories/meta-repository.ts';
import { partyRepository } from './repositories/party-repository.ts';
import { apiKeyRepository } from './repositories/api-key-repository.ts';
import { userRepository } from './repositories/user-repository.ts';
import { sessionRepository } from './repositories/session-repository.ts';
import { identityProviderRepository } from './repositories/identity-provider-repository.ts';
import { premiseRepository } from './repositories/premise-repository.ts';
import { simulationRepository } from './repositories/simulation-repository.ts';
import { auditRepository } from './repositories/audit-repository.ts';
import { obligationsRepository } from './repositories/obligations-repository.ts';
import { commandRequestRepository } from './repositories/command-request-repository.ts';
import { vendRepository } from './repositories/vend-repository.ts';
import { duisCounterRepository } from './repositories/duis-counter-repository.ts';
import { wanRepository } from './repositories/wan-repository.ts';
import { workOrderRepository } from './repositories/work-order-repository.ts';
import { deviceAlertRepository } from './repositories/device-alert-repository.ts';
import { returnsRepository } from './repositories/returns-repository.ts';
import { jobRepository } from './repositories/job-repository.ts';
import { noticeRepository } from './repositories/notice-repository.ts';
import type { DB } from './schema.ts';
import { translateDbError } from './translate-db-error.ts';

/** The persistence a service sees: each use case is one transaction over the repositories. */
export interface Store {
  readonly kind: DatabaseKind;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Reads outside a transaction (one statement each). */
  readonly read: StoreTx;
  readonly database: Database;
  close(): Promise<void>;
}

function bind(db: Kysely<DB>): StoreTx {
  return {
    parties: partyRepository(db),
    apiKeys: apiKeyRepository(db),
    users: userRepository(db),
    sessions: sessionRepository(db),
    identityProviders: identityProviderRepository(db),
    devices: deviceRepository(db),
    events: deviceEventRepository(db),
    premises: premiseRepository(db),
    meta: metaRepository(db),
    simulation: simulationRepository(db),
    audit: auditRepository(db),
    obligations: obligationsRepository(db),
    commandRequests: commandRequestRepository(db),
    vends: vendRepository(db),
    duisCounters: duisCounterRepository(db),
    wan: wanRepository(db),
    workOrders: workOrderRepository(db),
    deviceAlerts: deviceAlertRepository(db),
    returns: returnsRepository(db),
    jobs: jobRepository(db),
    notices: noticeRepository(db),
  };
}

export function storeOn(database: Database): Store {
  return {
    kind: database.kind,
    database,
    read: bind(database.db),
    async transaction(fn) {
      try {
        return await database.db.transaction().execute((trx) => fn(bind(trx)));
      } catch (err) {
        throw translateDbError(err);
      }
    },
    close: () => database.close(),
  };
}

/** Opens the database, applies pending migrations, and returns the store. */
export async function openStore(target: DatabaseTarget): Promise<{ store: Store; migrations: MigrationReport }> {
  const database = await openDatabase(target);
  try {
    const migrations = await migrate(database);
    return { store: storeOn(database), migrations };
  } catch (err) {
    await database.close();
    throw err;
  }
}
