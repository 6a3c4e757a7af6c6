import { sql, type Kysely } from 'kysely';
import type { Eui } from '../../domain/index.ts';
import type { DeviceAlertRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

export function deviceAlertRepository(db: Kysely<DB>): DeviceAlertRepository {
  return {
    async insert(a) {
      const r = await sql`INSERT INTO device_alerts (device_eui, alert_code, counter, raised_at, frame, received_at)
        VALUES (${a.deviceEui}, ${a.alertCode}, ${a.counter.toString()}::numeric, ${a.raisedAt}, ${a.frame}, ${a.receivedAt}) ON CONFLICT DO NOTHING`.execute(db);
      return Number(r.numAffectedRows ?? 0n) > 0;
    },
    async latest(eui, code) {
      const r = await db
        .selectFrom('device_alerts')
        .select(['device_eui', 'alert_code', 'counter', 'raised_at', 'frame', 'received_at'])
        .where('device_eui', '=', eui)
        .where('alert_code', '=', code)
        .orderBy('raised_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && { deviceEui: r.device_eui as Eui, alertCode: r.alert_code, counter: BigInt(r.counter), raisedAt: r.raised_at, frame: r.frame, receivedAt: r.received_at };
    },
  };
}
