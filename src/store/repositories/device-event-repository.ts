import { sql, type Kysely } from 'kysely';
import type { DeviceEvent, Eui, Lifecycle } from '../../domain/index.ts';
import type { DeviceEventRepository } from '../ports.ts';
import type { DB } from '../schema.ts';

export function deviceEventRepository(db: Kysely<DB>): DeviceEventRepository {
  return {
    async appendMany(events) {
      if (events.length === 0) return;
      const col = <K extends keyof (typeof events)[number]>(k: K) => events.map((e) => e[k]);
      await sql`
        INSERT INTO device_events (device_eui, lifecycle, from_status, to_status, actor_party_id,
          occurred_at, location, reason)
        SELECT * FROM unnest(${col('deviceEui')}::text[], ${col('lifecycle')}::text[],
          ${col('fromStatus')}::text[], ${col('toStatus')}::text[], ${col('actorPartyId')}::text[],
          ${events.map((e) => e.occurredAt.toISOString())}::timestamptz[], ${col('location')}::text[],
          ${col('reason')}::text[])`.execute(db);
    },
    async recordRegistration(r) {
      const row = await db
        .insertInto('device_registrations')
        .values({ actor_party_id: r.actorPartyId, registered_at: r.at, device_count: r.deviceCount, source: r.source })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async forDevice(eui, opts) {
      const history: DeviceEvent[] = [];
      if (opts.afterId === undefined) {
        const reg = await db
          .selectFrom('devices')
          .innerJoin('device_registrations as r', 'r.id', 'devices.registration_id')
          .select(['r.actor_party_id', 'r.registered_at', 'r.source', 'r.device_count'])
          .where('devices.eui', '=', eui)
          .executeTakeFirst();
        if (reg) {
          history.push({
            id: 0,
            deviceEui: eui,
            lifecycle: 'registry',
            fromStatus: null,
            toStatus: 'registered',
            actorPartyId: reg.actor_party_id,
            occurredAt: reg.registered_at,
            location: null,
            reason: `${reg.source ?? 'registered'} (${reg.device_count} device${reg.device_count === 1 ? '' : 's'})`,
          });
        }
      }
      let q = db.selectFrom('device_events').selectAll().where('device_eui', '=', eui);
      if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
      const rows = await q
        .orderBy('id')
        .limit(opts.limit - history.length)
        .execute();
      return history.concat(
        rows.map((r): DeviceEvent => ({
          id: r.id,
          deviceEui: r.device_eui as Eui,
          lifecycle: r.lifecycle as Lifecycle,
          fromStatus: r.from_status,
          toStatus: r.to_status,
          actorPartyId: r.actor_party_id,
          occurredAt: r.occurred_at,
          location: r.location,
          reason: r.reason,
        })),
      );
    },
  };
}
