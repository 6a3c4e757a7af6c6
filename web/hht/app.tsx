import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { devicePort, SIMULATED_PORT } from './device-port.ts';
import { isOffline, listOrders, me, problemOf, pullOrder, signIn, signOut, type Me, type Problem, type UploadResult, type WorkOrder } from './platform.ts';
import { kept, settings, uploadRows, waitingRows, type KeptOrder, type VisitRecord } from './store.ts';
import { uploadKept, uploadWaiting } from './sync.ts';

const EUI = /^[0-9A-F]{16}$/;
const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;

/** A refusal in place: the server's (or the device's) status, code, reason and the field it names. */
function ProblemBox({ problem, what }: { problem: Problem; what: string }) {
  return (
    <div className="problem" role="alert" data-testid="problem">
      <strong>
        {what}: {problem.status ? `${problem.status} ${problem.code}` : 'no network'}
      </strong>
      <div>{problem.detail}</div>
      {problem.field ? (
        <div>
          field <code>{problem.field}</code>
          {problem.rule ? ` (rule ${problem.rule})` : ''}
        </div>
      ) : null}
    </div>
  );
}

type Net = 'checking' | 'online' | 'offline';

function useHash(): [string, (h: string) => void] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return [hash, (h: string) => (location.hash = h)];
}

export function App() {
  const [net, setNet] = useState<Net>('checking');
  const [who, setWho] = useState<Me | null>(null);
  const [orders, setOrders] = useState<KeptOrder[] | null>(null);
  const [hash, go] = useHash();

  const reloadKept = useCallback(async () => setOrders(await kept.all()), []);
  const check = useCallback(async () => {
    try {
      const m = await me();
      setWho(m);
      setNet('online');
    } catch (e) {
      if (isOffline(e)) setNet('offline');
    }
  }, []);

  useEffect(() => {
    void reloadKept();
    void check();
    const on = () => void check();
    const off = () => setNet('offline');
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, [check, reloadKept]);

  const [autoProblem, setAutoProblem] = useState<Problem | null>(null);
  // When the network returns, what waits on the tablet goes up by itself.
  useEffect(() => {
    if (net !== 'online') return;
    uploadWaiting()
      .then(() => setAutoProblem(null))
      .catch((e: unknown) => setAutoProblem(problemOf(e)))
      .finally(() => void reloadKept());
  }, [net, reloadKept]);

  const orderId = /^#\/order\/(.+)$/.exec(hash)?.[1];
  const open = orderId ? orders?.find((o) => o.id === decodeURIComponent(orderId)) : undefined;

  return (
    <>
      <header className="bar">
        <span className="brand">meterops HHT</span>
        <span className={`net net-${net}`} data-testid="network" role="status">
          {net === 'checking' ? 'checking the network…' : net === 'online' ? 'platform reachable' : 'no network: working on the tablet'}
        </span>
      </header>
      <div className="sim-banner" data-testid="simulated">
        Simulation: the devices here are <strong>simulated</strong> meters, reached at the simulated local port <code>{SIMULATED_PORT}</code>, not real ones.
      </div>
      <main>
        {autoProblem ? <ProblemBox problem={autoProblem} what="The automatic upload failed" /> : null}
        {orderId ? (
          open ? (
            <Visit
              order={open}
              net={net}
              onChange={reloadKept}
              onBack={() => go('#/')}
              onNet={(n) => {
                setNet(n);
                if (n === 'online') void check();
              }}
            />
          ) : (
            <p>{orders ? `Work order ${decodeURIComponent(orderId)} is not on this tablet.` : 'Loading…'}</p>
          )
        ) : (
          <Home
            net={net}
            who={who}
            orders={orders}
            onSignedIn={check}
            onPulled={reloadKept}
            onSignedOut={() => setWho(null)}
            onOpen={(id) => go(`#/order/${encodeURIComponent(id)}`)}
          />
        )}
      </main>
    </>
  );
}

function Home(props: {
  net: Net;
  who: Me | null;
  orders: KeptOrder[] | null;
  onSignedIn: () => Promise<void>;
  onSignedOut: () => void;
  onPulled: () => Promise<void>;
  onOpen: (id: string) => void;
}) {
  const { net, who, orders } = props;
  return (
    <>
      <h1>Field visits</h1>
      {net === 'online' && !who ? <SignIn onSignedIn={props.onSignedIn} /> : null}
      {net === 'online' && who ? (
        <>
          <p>
            Signed in as <strong data-testid="who">{who.person}</strong> ({who.partyId}){' '}
            <button type="button" className="link" onClick={() => void signOut().finally(props.onSignedOut)}>
              Sign out
            </button>
          </p>
          <PullList onPulled={props.onPulled} kept={orders ?? []} />
        </>
      ) : null}
      {net === 'offline' ? <p className="note">The platform cannot be reached. Work orders already on this tablet can be visited; uploads wait for the network.</p> : null}
      <section aria-labelledby="kept-h">
        <h2 id="kept-h">On this tablet</h2>
        {orders === null ? <p>Loading…</p> : orders.length === 0 ? <p className="note">No work orders on this tablet yet: pull one while the platform is reachable.</p> : null}
        <ul className="cards">
          {(orders ?? []).map((o) => {
            const rows = uploadRows(o).length;
            const waiting = waitingRows(o).length;
            const last = o.uploads.at(-1);
            return (
              <li key={o.id} className="card">
                <h3>{o.pkg.order.premiseId}</h3>
                <div className="mono">{o.id}</div>
                <div>
                  {n(o.pkg.commands.length, 'command')}, {o.records.length} delivered, {n(rows, 'response')} kept
                  {last ? `; last upload ${last.recorded} verified, ${last.duplicate} duplicate, ${last.rejected} rejected` : ''}
                  {waiting ? `; ${waiting} not uploaded yet` : ''}
                </div>
                <div className="note">expires {new Date(o.pkg.order.expiresAt).toLocaleString()}</div>
                <button type="button" onClick={() => props.onOpen(o.id)}>
                  Open work order {o.pkg.order.premiseId}
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setProblem(null);
    try {
      await signIn(String(f.get('username') ?? ''), String(f.get('password') ?? ''));
      await onSignedIn();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="signin-h">
      <h2 id="signin-h">Sign in</h2>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem ? <ProblemBox problem={problem} what="Sign-in refused" /> : null}
    </section>
  );
}

function PullList({ onPulled, kept: keptOrders }: { onPulled: () => Promise<void>; kept: KeptOrder[] }) {
  const [hht, setHht] = useState('');
  const [state, setState] = useState('open');
  const [premise, setPremise] = useState('');
  const [pages, setPages] = useState<WorkOrder[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pullProblem, setPullProblem] = useState<{ id: string; p: Problem } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    void settings.get('hht').then((v) => setHht(v ?? ''));
  }, []);
  const load = useCallback(
    async (cursor?: string) => {
      setProblem(null);
      try {
        const p = await listOrders({ state, premiseId: premise.trim() || undefined, cursor });
        setPages((prev) => (cursor ? [...(prev ?? []), ...p.workOrders] : p.workOrders));
        setNext(p.next);
      } catch (e) {
        setProblem(problemOf(e));
      }
    },
    [state, premise],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const pull = async (o: WorkOrder) => {
    setPullProblem(null);
    const eui = hht.trim().toUpperCase();
    setBusy(o.id);
    try {
      await settings.set('hht', eui);
      const pkg = await pullOrder(o.id, eui);
      const prev = await kept.get(o.id);
      await kept.put({
        id: o.id,
        pkg,
        pulledAt: new Date().toISOString(),
        pulledBy: eui,
        joined: {},
        paired: {},
        // A re-pull keeps what the tablet already did for this order.
        records: prev?.records ?? [],
        uploads: prev?.uploads ?? [],
      });
      await onPulled();
      await load();
    } catch (e) {
      setPullProblem({ id: o.id, p: problemOf(e) });
    } finally {
      setBusy(null);
    }
  };

  const onTablet = new Set(keptOrders.map((k) => k.id));
  return (
    <section aria-labelledby="pull-h">
      <h2 id="pull-h">Work orders to pull</h2>
      <div className="form">
        <label htmlFor="hht-eui">This HHT's EUI (the pairings are signed for it)</label>
        <input id="hht-eui" value={hht} onChange={(e) => setHht(e.target.value)} placeholder="F0F0F0F0F0F00001" className="mono" spellCheck={false} />
        {hht && !EUI.test(hht.trim().toUpperCase()) ? <div className="note">An EUI is 16 hexadecimal digits; the server will say what is wrong.</div> : null}
      </div>
      <div className="filters">
        <div>
          <label htmlFor="wo-state">State</label>
          <select id="wo-state" value={state} onChange={(e) => setState(e.target.value)}>
            <option value="open">open</option>
            <option value="pulled">pulled</option>
          </select>
        </div>
        <div>
          <label htmlFor="wo-premise">Premise</label>
          <input id="wo-premise" value={premise} onChange={(e) => setPremise(e.target.value)} placeholder="any" />
        </div>
      </div>
      {problem ? <ProblemBox problem={problem} what="The work orders could not be listed" /> : null}
      {pages === null && !problem ? <p>Loading work orders…</p> : null}
      {pages?.length === 0 ? (
        <p className="note">
          No {state} work orders{premise ? ` for ${premise}` : ''}.
        </p>
      ) : null}
      <ul className="cards">
        {(pages ?? []).map((o) => (
          <li key={o.id} className="card">
            <h3>{o.premiseId}</h3>
            <div className="mono">{o.id}</div>
            <div className="note">
              {o.state}, by {o.createdBy}, expires {new Date(o.expiresAt).toLocaleString()}
              {o.pulledBy ? `; pulled by ${o.pulledBy}` : ''}
            </div>
            <button type="button" onClick={() => void pull(o)} disabled={busy !== null}>
              {onTablet.has(o.id) ? 'Pull again' : 'Pull'} work order {o.premiseId}
            </button>
            {pullProblem?.id === o.id ? <ProblemBox problem={pullProblem.p} what="Pull refused" /> : null}
          </li>
        ))}
      </ul>
      {next ? (
        <button type="button" onClick={() => void load(next)}>
          More work orders
        </button>
      ) : null}
    </section>
  );
}

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

function Visit({ order, net, onChange, onBack, onNet }: { order: KeptOrder; net: Net; onChange: () => Promise<void>; onBack: () => void; onNet: (n: Net) => void }) {
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
