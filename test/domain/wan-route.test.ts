import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseRoute, visitPriority, type RouteInput } from '../../src/domain/index.ts';

const base: RouteInput = { request: 'topUp', coverage: 'covered', hubWan: 'connected', paymentMode: 'prepayment', hasPpmid: true, ppmidRelayEnabled: false };

describe('route choice', () => {
  it('uses the WAN when the hub is connected, whatever the request', () => {
    for (const request of ['enableSupply', 'disableSupply', 'topUp', 'credentialChange'] as const) assert.equal(chooseRoute({ ...base, request }).route, 'wan');
  });
  it('with no WAN: consumer codes for prepayment top-up and enable, HHT for the rest, the relay only when enabled and allow-listed', () => {
    const off = { ...base, hubWan: 'no-wan' as const, coverage: 'not-covered' as const };
    const topUp = chooseRoute(off);
    assert.deepEqual([topUp.route, topUp.alternatives], ['consumer-code', ['hht-visit']]);
    assert.ok(
      topUp.reasons.some((r) => /UTRN/.test(r)),
      topUp.reasons.join('; '),
    );
    assert.deepEqual([chooseRoute({ ...off, request: 'enableSupply' }).route], ['consumer-code']);
    assert.equal(chooseRoute({ ...off, request: 'disableSupply' }).route, 'hht-visit');
    assert.equal(chooseRoute({ ...off, request: 'credentialChange', ppmidRelayEnabled: true }).route, 'hht-visit');
    assert.deepEqual(chooseRoute({ ...off, request: 'readStatus', ppmidRelayEnabled: true }).route, 'ppmid-relay');
    assert.deepEqual(chooseRoute({ ...off, request: 'topUp', paymentMode: 'credit' }).route, 'hht-visit');
    assert.ok(chooseRoute(off).reasons.some((r) => /SECMP0032/.test(r)));
  });
  it('suspects the hub when the postcode is covered but the hub has no WAN', () => {
    assert.ok(chooseRoute({ ...base, hubWan: 'no-wan' }).reasons.some((r) => /suspect the hub/.test(r)));
  });
  it('tries the WAN first on intermittent coverage, with the offline routes as fallbacks', () => {
    const d = chooseRoute({ ...base, hubWan: 'intermittent', coverage: 'partial' });
    assert.deepEqual([d.route, d.alternatives], ['wan', ['consumer-code', 'hht-visit']]);
  });
});

describe('SECMP0032 visit priority', () => {
  const lost = new Date('2026-01-01T00:00:00Z');
  const at = (days: number) => new Date(lost.getTime() + days * 86_400_000);
  it('runs the 30- and 90-day clocks', () => {
    assert.deepEqual(
      [
        visitPriority({ wanLostAt: lost, creditPence: 100, supply: 'enabled' }, at(10)).fix30.state,
        visitPriority({ wanLostAt: lost, creditPence: 100, supply: 'enabled' }, at(25)).fix30.state,
      ],
      ['running', 'due-within-7-days'],
    );
    const late = visitPriority({ wanLostAt: lost, creditPence: 100, supply: 'enabled' }, at(91));
    assert.deepEqual([late.fix30.state, late.fix90.state, late.daysWithoutWan], ['overdue', 'overdue', 91]);
  });
  it('turns each clock at its day: 7 days before due, and the moment it is due', () => {
    const s = { wanLostAt: lost, creditPence: 100, supply: 'enabled' as const };
    const hour = 3_600_000;
    // The 30-day fix is due on 31 January 2026 00:00; 7 days before is 24 January 00:00.
    assert.equal(visitPriority(s, at(30)).fix30.due.toISOString(), '2026-01-31T00:00:00.000Z');
    assert.equal(visitPriority(s, at(0)).fix90.due.toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(visitPriority(s, new Date(at(23).getTime() - hour)).fix30.state, 'running');
    assert.equal(visitPriority(s, new Date(at(23).getTime() + hour)).fix30.state, 'due-within-7-days');
    assert.equal(visitPriority(s, at(30)).fix30.state, 'due-within-7-days', 'due, not yet overdue');
    assert.equal(visitPriority(s, new Date(at(30).getTime() + 1)).fix30.state, 'overdue');
    assert.equal(visitPriority(s, new Date(at(83).getTime() + hour)).fix90.state, 'due-within-7-days');
    assert.equal(visitPriority(s, new Date(at(90).getTime() + 1)).fix90.state, 'overdue');
    // Whole days only, never negative.
    assert.equal(visitPriority(s, new Date(at(2).getTime() - 1)).daysWithoutWan, 1);
    assert.equal(visitPriority(s, new Date(lost.getTime() - hour)).daysWithoutWan, 0);
  });

  it('says why a premise is at risk', () => {
    assert.deepEqual(visitPriority({ wanLostAt: lost, creditPence: 0, supply: 'disabled' }, at(31)).why, [
      'supply disabled',
      'no credit',
      '30-day WAN fix overdue',
      '31 days without WAN',
    ]);
    assert.deepEqual(visitPriority({ wanLostAt: lost, creditPence: null, supply: 'armed' }, at(91)).why, [
      'supply armed',
      'credit unknown',
      '30-day WAN fix overdue',
      '90-day DCC solution overdue',
      '91 days without WAN',
    ]);
    assert.deepEqual(visitPriority({ wanLostAt: lost, creditPence: 1, supply: 'enabled' }, at(3)).why, ['3 days without WAN']);
  });

  it('puts a disabled supply above no credit above days without WAN', () => {
    const off = visitPriority({ wanLostAt: at(5), creditPence: 500, supply: 'disabled' }, at(6)).risk;
    const broke = visitPriority({ wanLostAt: lost, creditPence: 0, supply: 'enabled' }, at(60)).risk;
    const waiting = visitPriority({ wanLostAt: lost, creditPence: 500, supply: 'enabled' }, at(80)).risk;
    assert.ok(off > broke && broke > waiting, `${off} > ${broke} > ${waiting}`);
  });
});
