// The demo world the cross-party loop runs in: the platform party and the demo's parties (two
// Suppliers, a MAP, a manufacturer, a gas transporter, the SSC, the 14 DNOs) over the demo fleet,
// each party with one API key holding every person role, so that what refuses a request is the
// party's relation to its target, never the person's role. Also: a fingerprint of everything the
// database holds, to show that a refused request wrote nothing.
import { sql } from 'kysely';
import type { App } from '../../src/api/app.ts';
import { PERSON_ROLES, type Device, type Eui, type Party, type PersonRole, type Premise } from '../../src/domain/index.ts';
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import type { ServiceDeps } from '../../src/services/deps.ts';
import { initPlatform } from '../../src/services/init-platform.ts';
import type { Store } from '../../src/store/store.ts';
import { demoIds, demoPartyIds, seedDemo, type DemoIds } from '../../src/world/seed-demo.ts';
import { openJobs } from '../../src/cli/job-runtime.ts';
import { simulatedWorldWiring } from '../../src/composition/simulated-world-wiring.ts';
import { appFor, depsFor, worldOf } from '../support/builders.ts';

export interface World {
  readonly store: Store;
  readonly deps: ServiceDeps;
  readonly app: App;
  readonly ids: DemoIds;
  /** Every demo party id, the platform's `dcc` among them. */
  readonly parties: readonly string[];
  party(id: string): Promise<Party>;
  device(eui: string): Promise<Device>;
  premise(id: string): Promise<Premise>;
  /** The premise a device is installed at. */
  premiseOf(eui: string): Promise<Premise>;
  /** The DNO party of a distributor id. */
  dnoOf(distributorId: number | null): string;
  /** The party's all-roles key header, or one of a key with just these roles. */
  auth(partyId: string, roles?: readonly PersonRole[]): Promise<Record<string, string>>;
  /** Shared by the cases, in table order (an order made by one case, pulled by the next). */
  readonly ctx: Map<string, unknown>;
  readonly clock: { now: Date };
  close(): Promise<void>;
}

// Rows every request touches (the key's last use, the audit log's own bookkeeping) are left out;
// the audit log is compared by its entries other than api_key.used.
const SKIP_TABLES = new Set(['audit_log', 'audit_pending', 'audit_leaves', 'audit_nodes', 'audit_heads', 'audit_anchor', 'sessions', 'sign_in_attempts', 'meta']);

export async function openWorld(store: Store): Promise<World> {
  const clock = { now: new Date('2026-12-01T10:00:00Z') };
  // A low disable-supply limit, so that a held request to release is cheap to make.
  const base = depsFor(store, () => clock.now, { policy: { anomalyLimits: { disable_supply: { max: 3, windowMinutes: 60 } } } });
  await initPlatform(base);
  await seedDemo(base);
  // The job queue, as serve has it, but with no worker: a job enqueued stays queued, so nothing
  // runs between two fingerprints.
  const { deps, runtime } = await openJobs(base, simulatedWorldWiring(worldOf(base)), { supervise: false });
  const app = await appFor(deps);
  const parties = demoPartyIds();
  const keys = new Map<string, string>();
  const world: World = {
    store,
    deps,
    app,
    ids: demoIds(),
    parties,
    ctx: new Map(),
    clock,
    async party(id) {
      const p = await store.read.parties.get(id);
      if (!p) throw new Error(`no party ${id}`);
      return p;
    },
    async device(eui) {
      const d = await store.read.devices.get(eui as Eui);
      if (!d) throw new Error(`no device ${eui}`);
      return d;
    },
    async premise(id) {
      const p = await store.read.premises.get(id);
      if (!p) throw new Error(`no premise ${id}`);
      return p;
    },
    async premiseOf(eui) {
      const i = await store.read.premises.installationOf(eui as Eui);
      if (!i) throw new Error(`${eui} is installed nowhere`);
      return world.premise(i.premiseId);
    },
    dnoOf(distributorId) {
      if (distributorId === null || distributorId < 10 || distributorId > 23) throw new Error(`no demo DNO for ${distributorId}`);
      return `dno-${distributorId}`;
    },
    async auth(partyId, roles = PERSON_ROLES) {
      const name = `xp ${[...roles].sort().join(' ')}`;
      const k = `${partyId}/${name}`;
      if (!keys.has(k)) {
        const issued = await issueApiKey(deps, cliActing(await world.party(partyId)), { partyId, name, roles: [...roles] });
        keys.set(k, issued.secret);
      }
      return { authorization: `Bearer ${keys.get(k)}` };
    },
    async close() {
      await app.close();
      await runtime.stop(5_000);
      await store.close();
    },
  };
  // Keys made up front: issuing one later would itself be a write between two fingerprints.
  for (const id of parties) await world.auth(id);
  return world;
}

/** What the database holds, table by table (hashed), plus the audit entries other than key uses. */
export async function fingerprint(store: Store): Promise<Map<string, string>> {
  const db = store.database.db;
  const tables = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`.execute(db);
  const parts = tables.rows
    .map((t) => t.name)
    .filter((n) => !SKIP_TABLES.has(n) && !n.startsWith('kysely') && !n.startsWith('schema_'))
    .map((n) => `SELECT '${n}' AS name, md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' ORDER BY (to_jsonb(t) - 'last_used_at')::text), '')) AS h FROM "${n}" t`);
  parts.push(`SELECT 'audit_log' AS name, md5(coalesce(string_agg(t.action || ' ' || t.entity, ',' ORDER BY t.id), '')) AS h FROM audit_log t WHERE t.action <> 'api_key.used'`);
  const r = await sql<{ name: string; h: string }>`${sql.raw(parts.join(' UNION ALL '))}`.execute(db);
  return new Map(r.rows.map((x) => [x.name, x.h]));
}

/** The tables whose content differs between two fingerprints. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).sort();
}
