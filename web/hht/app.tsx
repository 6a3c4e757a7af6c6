import { useCallback, useEffect, useState } from 'react';
import { SIMULATED_PORT } from './device-port.ts';
import { isOffline, me, problemOf, signOut, type Me, type Problem } from './platform.ts';
import { kept, uploadRows, waitingRows, type KeptOrder } from './store.ts';
import { uploadWaiting } from './sync.ts';
import { n, type Net } from './hht-basics.ts';
import { ProblemBox } from './problem-box.tsx';
import { SignIn } from './sign-in-screen.tsx';
import { PullList } from './pull-list.tsx';
import { Visit } from './visit-screen.tsx';

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
