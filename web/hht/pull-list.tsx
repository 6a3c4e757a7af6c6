// The HHT app's list of the work orders to pull while the platform is reachable: the engineer's
// own and the Supplier's unassigned ones (the first to pull one takes it); another engineer's
// orders are not listed, and the server refuses their pull.
import { useCallback, useEffect, useState } from 'react';
import { listOrders, problemOf, pullOrder, type Problem, type WorkOrder } from './platform.ts';
import { kept, settings, type KeptOrder } from './store.ts';
import { EUI } from './hht-basics.ts';
import { ProblemBox } from './problem-box.tsx';

const WHOSE: Record<string, string> = { 'me,none': 'assigned to you or unassigned', me: 'assigned to you', none: 'unassigned' };

export function PullList({ onPulled, kept: keptOrders }: { onPulled: () => Promise<void>; kept: KeptOrder[] }) {
  const [hht, setHht] = useState('');
  const [state, setState] = useState('open');
  const [premise, setPremise] = useState('');
  const [whose, setWhose] = useState('me,none');
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
        const p = await listOrders({ state, premiseId: premise.trim() || undefined, assignee: whose, cursor });
        setPages((prev) => (cursor ? [...(prev ?? []), ...p.workOrders] : p.workOrders));
        setNext(p.next);
      } catch (e) {
        setProblem(problemOf(e));
      }
    },
    [state, premise, whose],
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
          <label htmlFor="wo-whose">Whose</label>
          <select id="wo-whose" value={whose} onChange={(e) => setWhose(e.target.value)}>
            <option value="me,none">assigned to you, and unassigned</option>
            <option value="me">assigned to you</option>
            <option value="none">unassigned</option>
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
          No {state} work orders {WHOSE[whose] ?? ''}
          {premise ? ` for ${premise}` : ''}.
        </p>
      ) : null}
      <ul className="cards">
        {(pages ?? []).map((o) => (
          <li key={o.id} className="card">
            <h3>{o.premiseId}</h3>
            <div className="mono">{o.id}</div>
            <div data-testid="assignee">{o.assignedTo ? 'assigned to you' : 'unassigned: pulling it makes it yours'}</div>
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
