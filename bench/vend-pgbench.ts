// pgbench running the SQL statements of one vend (as the pg driver sends them for `vend()`,
// counted statement by statement: see bench/notes/nowan.md), as a custom script with the same
// number of clients, for the bench's same-run baseline of the HTTP vend rate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface VendPgbench {
  readonly url: string;
  readonly schema: string;
  readonly supplierId: string;
  readonly fleetId: string;
  readonly meters: readonly string[];
  readonly clients: number;
  readonly seconds: number;
}

// One transaction per vend, the same statements in the same order; values the service computes
// (the key, the new counter) come from pgbench variables and one \gset, and the device from a
// lookup table (one statement more than a vend sends, so the baseline is if anything slower).
const SCRIPT = (meters: number) => `\\set d random(0, ${meters - 1})
\\set k random(1, 1000000000000000)
BEGIN;
SELECT eui AS dev FROM bench_pgbench_meters WHERE i = :d \\gset
SELECT * FROM vends WHERE supplier_party_id = :sup AND idempotency_key = 'pgb-' || :k::text;
SELECT * FROM devices WHERE eui = :dev;
SELECT device_eui, alert_code, counter, raised_at, frame, received_at FROM device_alerts WHERE device_eui = :dev AND alert_code = 33220 ORDER BY raised_at DESC LIMIT 1;
SELECT ((SELECT COALESCE(sum(pence), 0) FROM vends WHERE device_eui = :dev AND created_at >= now() - interval '1 day') + (SELECT COALESCE(sum(c.pence), 0) FROM work_order_commands c JOIN work_orders o ON o.id = c.order_id WHERE c.device_eui = :dev AND c.pence > 0 AND c.state <> 'expired' AND o.created_at >= now() - interval '1 day'))::int AS p;
INSERT INTO vend_counters (supplier_party_id, device_eui, last_counter) VALUES (:sup, :dev, 0) ON CONFLICT DO NOTHING;
SELECT last_counter::text AS c FROM vend_counters WHERE supplier_party_id = :sup AND device_eui = :dev FOR UPDATE \\gset
SELECT id, seed, premises FROM sim_fleets WHERE id = :fleet;
SELECT * FROM meterops_decide_volume(:sup, 'utrn_vend', :dev, 'pgbench', now(), now() - interval '1 hour', 1000000000);
INSERT INTO vends (id, supplier_party_id, idempotency_key, device_eui, kind, request, counter, code, pence, requested_by, created_at) VALUES ('pgb-' || :k::text, :sup, 'pgb-' || :k::text, :dev, 'credit', '{"deviceEui":"0000000000000000","kind":"credit","value":1,"valueClass":"pounds"}', :c::numeric + 4294967296, '73944736583860522987', 100, 'pgbench', now());
UPDATE vend_counters SET last_counter = :c::numeric + 4294967296 WHERE supplier_party_id = :sup AND device_eui = :dev;
WITH e AS (INSERT INTO audit_log (at, actor_party_id, action, entity, details) VALUES (now(), :sup, 'vend.credit', 'vend/pgb-' || :k::text, '{"counter":"0","device":"0000000000000000","idempotencyKey":"k","pence":100,"request":27,"volumeCheck":"sent"}') RETURNING id) INSERT INTO audit_pending (entry_id) SELECT id FROM e RETURNING entry_id AS id;
END;
`;

/** Transactions per second pgbench reports (excluding connection set-up), or null if pgbench is not installed. */
export async function vendPgbenchTps(o: VendPgbench): Promise<number | null> {
  if (spawnSync('pgbench', ['--version']).status !== 0) return null;
  const c = new pg.Client({ connectionString: o.url });
  await c.connect();
  try {
    await c.query(`CREATE TABLE ${o.schema}.bench_pgbench_meters (i int PRIMARY KEY, eui text NOT NULL)`);
    await c.query(`INSERT INTO ${o.schema}.bench_pgbench_meters SELECT ordinality - 1, eui FROM unnest($1::text[]) WITH ORDINALITY AS m(eui)`, [o.meters]);
  } finally {
    await c.end();
  }
  const dir = mkdtempSync(join(tmpdir(), 'meterops-pgbench-'));
  try {
    const script = join(dir, 'vend.sql');
    writeFileSync(script, SCRIPT(o.meters.length));
    const r = spawnSync(
      'pgbench',
      ['-n', '-M', 'prepared', '-c', String(o.clients), '-j', '2', '-T', String(o.seconds), '-f', script, '-D', `sup=${o.supplierId}`, '-D', `fleet=${o.fleetId}`, o.url],
      { env: { ...process.env, PGOPTIONS: `-c search_path=${o.schema}` }, encoding: 'utf8' },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout)?.[1];
    if (r.status !== 0 || !tps) throw new Error(`pgbench failed (${r.status}): ${r.stderr || r.stdout}`);
    return Number(tps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
