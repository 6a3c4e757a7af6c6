// The HHT app's visit: join, pair, choose and deliver commands at the device's local port, with
// no network to the platform; what the platform later said of each response.
import { useState, type ReactNode } from 'react';
import { devicePort, SIMULATED_PORT } from './device-port.ts';
import { isOffline, problemOf, type Problem, type UploadResult } from './platform.ts';
import { kept, uploadRows, waitingRows, type KeptOrder, type VisitRecord } from './store.ts';
import { uploadKept } from './sync.ts';
import { n, type Net } from './hht-basics.ts';
import { ProblemBox } from './problem-box.tsx';

/** What the platform said of a kept response: its first answer (verified or rejected), and whether it was sent again. */
function platformSays(o: KeptOrder, seq: number): string {
  const answers = o.uploads.flatMap((u) => u.results.filter((r) => r.seq === seq));
  const first = answers.find((r) => r.status !== 'duplicate') ?? answers[0];
  if (!first) return 'platform: not uploaded yet';
  const dups = answers.filter((r) => r.status === 'duplicate').length;
  return `platform: ${resultText(first)}${dups ? `; sent again ${n(dups, 'time')}, answered duplicate` : ''}`;
}

function resultText(r: UploadResult): string {
  if (r.status === 'recorded') return `verified and recorded: ${r.outcome}`;
  if (r.status === 'duplicate') return `duplicate (already recorded): ${r.outcome}`;
  return `rejected: ${r.reason}`;
}

export function Visit({ order, net, onChange, onBack, onNet }: { order: KeptOrder; net: Net; onChange: () => Promise<void>; onBack: () => void; onNet: (n: Net) => void }) {
  const { pkg } = order;
  const done = new Set(order.records.map((r) => r.seq));
  const [chosen, setChosenState] = useState<Set<number>>(() => new Set(order.chosen ?? pkg.commands.filter((c) => !done.has(c.seq)).map((c) => c.seq)));
  const [problem, setProblem] = useState<{ what: string; p: Problem } | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = new Date() >= new Date(pkg.order.expiresAt);
  const devices = pkg.pairings.map((p) => p.deviceEui);

  // Every change is kept before the next step: the tablet may be closed at any moment.
  const save = async (change: (o: KeptOrder) => KeptOrder) => {
    const cur = (await kept.get(order.id)) ?? order;
    await kept.put(change(cur));
    await onChange();
  };
  const step = async (what: string, fn: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await fn();
    } catch (e) {
      setProblem({ what, p: problemOf(e) });
    } finally {
      setBusy(false);
    }
  };

  const openJoin = (d: string) =>
    step(`Join window of ${d}`, async () => {
      await devicePort.openJoinWindow(d);
      await save((o) => ({ ...o, joined: { ...o.joined, [d]: new Date().toISOString() } }));
    });
  const pair = (d: string) =>
    step(`Pairing with ${d}`, async () => {
      const p = pkg.pairings.find((x) => x.deviceEui === d)!;
      await devicePort.pair(d, pkg.hht, p.authorisation);
      await save((o) => ({ ...o, paired: { ...o.paired, [d]: new Date().toISOString() } }));
    });
  // The choice is kept too: a reload shows what the engineer chose.
  const setChosen = (f: (s: Set<number>) => Set<number>) => {
    const next = f(chosen);
    setChosenState(next);
    void save((o) => ({ ...o, chosen: [...next] }));
  };
  const deliver = () =>
    step('Delivery', async () => {
      for (const c of pkg.commands) {
        if (!chosen.has(c.seq)) continue;
        const cur = (await kept.get(order.id)) ?? order;
        if (cur.records.some((r) => r.seq === c.seq)) continue;
        if (!cur.paired[c.deviceEui]) throw new Error(`command ${c.seq} is for ${c.deviceEui}, which is not paired: open its join window and pair first`);
        const deliveredAt = new Date().toISOString();
        const r = await devicePort.send(c.deviceEui, pkg.hht, c.frame);
        const rec: VisitRecord = {
          seq: c.seq,
          deviceEui: c.deviceEui,
          useCase: c.useCase,
          deliveredAt,
          accepted: r.accepted,
          carry: r.response ?? r.alert ?? null,
          detail: r.accepted ? null : `${r.reason ?? 'refused'}${r.alertCode ? ` (alert ${r.alertCode})` : ''}: ${r.detail ?? ''}`.trim(),
        };
        await save((o) => ({ ...o, records: [...o.records.filter((x) => x.seq !== rec.seq), rec] }));
      }
      setChosen(() => new Set());
    });
  const push = () =>
    step('Upload', async () => {
      try {
        await uploadKept(order.id);
        onNet('online');
        await onChange();
      } catch (e) {
        if (isOffline(e)) onNet('offline');
        throw e;
      }
    });

  const rows = uploadRows(order).length;
  const waiting = waitingRows(order).length;

  return (
    <>
      <button type="button" className="link" onClick={onBack}>
        ← All work orders
      </button>
      <h1>Visit {pkg.order.premiseId}</h1>
      <p className="note">
        Work order <span className="mono">{order.id}</span>, HHT <span className="mono">{pkg.hht}</span>, expires {new Date(pkg.order.expiresAt).toLocaleString()}. Kept on this
        tablet: nothing here needs the network until the upload.
      </p>
      {expired ? <p className="problem">This work order has expired: its commands can no longer be applied.</p> : null}
      {problem ? <ProblemBox problem={problem.p} what={problem.what} /> : null}

      <section aria-labelledby="dev-h">
        <h2 id="dev-h">1. Devices: join window and pairing</h2>
        <ul className="cards">
          {devices.map((d) => (
            <li key={d} className="card">
              <h3 className="mono">{d}</h3>
              <div className="note">simulated device, local port {SIMULATED_PORT}</div>
              <div data-testid={`device-${d}`}>{order.paired[d] ? 'paired' : order.joined[d] ? 'join window open, not paired' : 'not joined'}</div>
              <div className="row">
                <button type="button" disabled={busy || expired} onClick={() => void openJoin(d)}>
                  Open join window {d}
                </button>
                <button type="button" disabled={busy || expired || !order.joined[d]} onClick={() => void pair(d)}>
                  Pair with {d}
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="cmd-h">
        <h2 id="cmd-h">2. Commands to apply</h2>
        <fieldset className="commands">
          <legend>Choose the commands to deliver</legend>
          {pkg.commands.map((c) => {
            const rec = order.records.find((r) => r.seq === c.seq);
            const id = `cmd-${c.seq}`;
            return (
              <div key={c.seq} className="command">
                <input
                  type="checkbox"
                  id={id}
                  disabled={!!rec || busy}
                  checked={!rec && chosen.has(c.seq)}
                  onChange={(e) =>
                    setChosen((s) => {
                      const n = new Set(s);
                      if (e.target.checked) n.add(c.seq);
                      else n.delete(c.seq);
                      return n;
                    })
                  }
                />
                <label htmlFor={id}>
                  {c.seq}. {c.useCase} {c.name} on {c.deviceEui} {c.critical ? '(signed, variant 6)' : '(variant 2)'}
                </label>
              </div>
            );
          })}
        </fieldset>
        <button type="button" disabled={busy || expired || chosen.size === 0} onClick={() => void deliver()}>
          Deliver chosen commands
        </button>
      </section>

      <section aria-labelledby="resp-h">
        <h2 id="resp-h">3. Device responses</h2>
        {order.records.length === 0 ? <p className="note">Nothing delivered yet.</p> : null}
        <ul className="cards" data-testid="responses">
          {[...order.records]
            .sort((a, b) => a.seq - b.seq)
            .map((r) => (
              <li key={r.seq} className={`card ${r.accepted ? 'ok' : 'refused'}`} data-testid={`response-${r.seq}`}>
                <h3>
                  {r.seq}. {r.useCase}: {r.accepted ? 'accepted by the device' : 'refused by the device'}
                </h3>
                {r.detail ? <div>{r.detail}</div> : null}
                <div data-testid={`platform-${r.seq}`}>{platformSays(order, r.seq)}</div>
                <div className="note">
                  delivered {new Date(r.deliveredAt).toLocaleTimeString()};{' '}
                  {r.carry ? `${r.accepted ? 'response' : 'signed alert'} kept (${r.carry.length / 2} bytes)` : 'nothing to carry back'}
                </div>
              </li>
            ))}
        </ul>
      </section>

      <section aria-labelledby="up-h">
        <h2 id="up-h">4. Upload</h2>
        <p className="note">
          {n(rows, 'response')} kept for upload, {waiting} not uploaded yet.{' '}
          {net === 'online' ? 'The platform is reachable.' : 'The platform cannot be reached: they stay on the tablet and go up when the network returns.'}
        </p>
        <button type="button" disabled={busy || rows === 0} onClick={() => void push()}>
          {order.uploads.length ? 'Upload again' : 'Upload responses'}
        </button>
        {[...order.uploads].reverse().map((u, i) => (
          <UploadSummary key={u.at} latest={i === 0} at={u.at} results={u.results} counts={u} />
        ))}
      </section>
    </>
  );
}

function UploadSummary({
  at,
  latest,
  results,
  counts,
}: {
  at: string;
  latest: boolean;
  results: UploadResult[];
  counts: { recorded: number; duplicate: number; rejected: number };
}): ReactNode {
  return (
    <div data-testid={latest ? 'upload-result' : 'upload-earlier'} className={latest ? '' : 'earlier'}>
      <h3>
        Upload at {new Date(at).toLocaleTimeString()}: {counts.recorded} verified, {counts.duplicate} duplicate, {counts.rejected} rejected
      </h3>
      <ul>
        {results.map((r) => (
          <li key={r.seq} {...(latest ? { 'data-testid': `upload-${r.seq}` } : {})} className={r.status}>
            {r.seq}. {resultText(r)}
          </li>
        ))}
      </ul>
    </div>
  );
}
