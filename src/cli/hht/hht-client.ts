import type { Eui } from '../../domain/eui.ts';
import type { HhtPackage } from '../../services/work-orders.ts';
import type { UploadedResponse } from '../../services/hht-upload.ts';
import { CliError } from '../cli-error.ts';

import type { PortReply } from '../../domain/port-reply.ts';
export type { PortReply } from '../../domain/port-reply.ts';

/** How the HHT reaches a device at the premise: its local connection (HAN join, or the engineer's cable). */
export interface DevicePort {
  openJoinWindow(device: Eui): Promise<void>;
  pair(device: Eui, hht: Eui, authorisation: string): Promise<void>;
  send(device: Eui, hht: Eui, frame: string): Promise<PortReply>;
}

/** One command as the HHT applied it: what went in, and what came back to carry home. */
export interface VisitRecord {
  readonly seq: number;
  readonly deviceEui: Eui;
  readonly useCase: string;
  readonly deliveredAt: string;
  readonly accepted: boolean;
  /** The frame to upload: the device's response, or its signed alert when it refused. */
  readonly carry: string | null;
  readonly detail: string | null;
}

export interface VisitFile extends HhtPackage {
  /** The platform the order was pulled from (recorded by `hht pull`): visit and push use it. */
  readonly server?: string;
  readonly visit?: { readonly records: VisitRecord[] };
}

/**
 * The engineer's visit, offline: refuses an expired order, opens each device's join window and
 * pairs with the signed pairing from the order, delivers the chosen commands in order, and keeps
 * every response (or signed refusal) for the upload. Never talks to the platform.
 */
export async function runVisit(
  pkg: VisitFile,
  port: DevicePort,
  opts: { apply?: readonly number[]; now: () => Date; onStep?: (r: VisitRecord) => void | Promise<void> },
): Promise<VisitRecord[]> {
  if (pkg.format !== 'meterops-hht-order/1') throw new CliError(`not a meterops HHT order file (format ${String(pkg.format)})`, 2, 'NOT_AN_ORDER');
  const expires = new Date(pkg.order.expiresAt);
  if (opts.now() >= expires) throw new CliError(`work order ${pkg.order.id} expired at ${pkg.order.expiresAt}: its commands can no longer be applied`, 2, 'ORDER_EXPIRED');
  const done = new Set((pkg.visit?.records ?? []).map((r) => r.seq));
  const chosen = pkg.commands.filter((c) => (opts.apply ? opts.apply.includes(c.seq) : true) && !done.has(c.seq));
  for (const seq of opts.apply ?? []) {
    if (!pkg.commands.some((c) => c.seq === seq)) throw new CliError(`work order ${pkg.order.id} has no command ${seq}`, 2, 'NO_SUCH_COMMAND');
  }
  const paired = new Set<Eui>();
  const records: VisitRecord[] = [];
  for (const c of chosen) {
    if (!paired.has(c.deviceEui)) {
      const p = pkg.pairings.find((x) => x.deviceEui === c.deviceEui);
      if (!p) throw new CliError(`the order carries no pairing for ${c.deviceEui}`, 2, 'NO_PAIRING');
      await port.openJoinWindow(c.deviceEui);
      await port.pair(c.deviceEui, pkg.hht, p.authorisation);
      paired.add(c.deviceEui);
    }
    const deliveredAt = opts.now().toISOString();
    const r = await port.send(c.deviceEui, pkg.hht, c.frame);
    const rec: VisitRecord = {
      seq: c.seq,
      deviceEui: c.deviceEui,
      useCase: c.useCase,
      deliveredAt,
      accepted: r.accepted,
      carry: r.response ?? r.alert ?? null,
      detail: r.accepted ? null : `${r.reason ?? 'refused'}: ${r.detail ?? ''}`.trim(),
    };
    records.push(rec);
    await opts.onStep?.(rec);
  }
  return records;
}

/** The rows an upload carries: every record with a frame to verify. */
export function uploadRows(file: VisitFile): UploadedResponse[] {
  return (file.visit?.records ?? []).filter((r) => r.carry).map((r) => ({ orderId: file.order.id, seq: r.seq, response: r.carry!, deliveredAt: r.deliveredAt }));
}

/** A device port reached over HTTP: the simulated world's `/sim/devices/{eui}/...`. */
export function httpDevicePort(base: string): DevicePort {
  const call = async (device: Eui, path: string, body: Record<string, unknown>) => {
    let res: Response;
    try {
      res = await fetch(`${base.replace(/\/$/, '')}/devices/${device}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError(`cannot reach the device port at ${base}: ${causeOf(e)}`, 1, 'DEVICE_PORT_UNREACHABLE');
    }
    const json = await jsonOf(res, `device port ${base}`);
    if (!res.ok) throw new CliError(`device ${device} ${path}: ${String(json.detail ?? json.error ?? res.status)}`, 2, 'DEVICE_REFUSED');
    return json;
  };
  return {
    openJoinWindow: async (d) => void (await call(d, 'port/join-window', {})),
    pair: async (d, hht, authorisation) => void (await call(d, 'port/pair', { client: hht, authorisation })),
    send: async (d, hht, frame) => (await call(d, 'port/send', { client: hht, frame })) as unknown as PortReply,
  };
}

/** The platform's API, for pull and push (the HHT back online). */
export async function platformCall<T>(server: string, apiKey: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${server.replace(/\/$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new CliError(`cannot reach ${server}: ${causeOf(e)}`, 1, 'SERVER_UNREACHABLE');
  }
  const json = await jsonOf(res, server);
  if (!res.ok)
    throw new CliError(`${method} ${path}: ${res.status} ${String(json.detail ?? '')}${json.rule ? ` (${String(json.rule)})` : ''}`, 2, String(json.code ?? `HTTP_${res.status}`));
  return json as T;
}

/** Why a fetch failed, in one phrase (node's "fetch failed" hides it in the cause). */
function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

async function jsonOf(res: Response, from: string): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CliError(`${from} answered ${res.status} with something that is not JSON`, 1, 'BAD_ANSWER');
  }
}
