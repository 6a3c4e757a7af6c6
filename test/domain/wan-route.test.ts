import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { chooseRoute, visitPriority, type RouteInput } from '../../src/domain/index.ts';
import { DEFAULT_GOVERNANCE } from '../../src/domain/governance.ts';

const base: RouteInput = {
  request: 'topUp',
  coverage: 'covered',
  hubWan: 'connected',
  paymentMode: 'prepayment',
  hasPpmid: true,
  ppmidRelayEnabled: false,
  configurationCodesEnabled: DEFAULT_GOVERNANCE.routes.configurationCodes,
  ppmidRelayWanStates: DEFAULT_GOVERNANCE.routes.ppmidRelayWanStates,
};
const off = { ...base, hubWan: 'no-wan' as const, coverage: 'not-covered' as const };
// The seeds live beside the checkout (../shared/seeds); where they are absent the quotes stand alone.
const seedFile = new URL('../../../shared/seeds/001_dd0bb8780feec2cd.txt', import.meta.url);
const seed001 = existsSync(seedFile) ? readFileSync(seedFile, 'utf8').replace(/\s+/g, ' ') : null;

describe('route choice', () => {
  it('uses the WAN when the hub is connected, whatever the request', () => {
    for (const request of ['enableSupply', 'disableSupply', 'topUp', 'credentialChange'] as const) {
      const d = chooseRoute({ ...base, request });
      assert.deepEqual([d.route, d.extension], ['wan', false]);
    }
  });
  it('with no WAN: a UTRN for a prepayment top-up, HHT for the rest, the relay only when enabled, allow-listed and for intermittent WAN', () => {
    const topUp = chooseRoute(off);
    assert.deepEqual([topUp.route, topUp.alternatives, topUp.extension], ['consumer-code', ['hht-visit'], false]);
    assert.ok(
      topUp.reasons.some((r) => /UTRN/.test(r)),
      topUp.reasons.join('; '),
    );
    assert.equal(chooseRoute({ ...off, request: 'disableSupply' }).route, 'hht-visit');
    assert.equal(chooseRoute({ ...off, request: 'credentialChange', ppmidRelayEnabled: true }).route, 'hht-visit');
    assert.deepEqual(chooseRoute({ ...off, request: 'topUp', paymentMode: 'credit' }).route, 'hht-visit');
    assert.ok(chooseRoute(off).reasons.some((r) => /SECMP0032/.test(r)));
  });
  it('suspects the hub when the postcode is covered but the hub has no WAN', () => {
    assert.ok(chooseRoute({ ...base, hubWan: 'no-wan' }).reasons.some((r) => /suspect the hub/.test(r)));
  });
  it('tries the WAN first on intermittent coverage, with the offline routes as fallbacks', () => {
    const d = chooseRoute({ ...base, hubWan: 'intermittent', coverage: 'partial' });
    assert.deepEqual([d.route, d.alternatives, d.extension], ['wan', ['consumer-code', 'hht-visit'], false]);
  });
});

describe('Enable Supply with no WAN: configuration codes only as a governance extension', () => {
  // IssueSEC0009 (seed 001): installed meters are not to change, and configuration codes were a 2012 option only.
  const issueSec0009 =
    'Members highlighted that the solution should be applicable to all meter types and the solution should avoid requiring a change to meters already installed in premises, existing meter specifications with the solutions focus being on the method of delivering commands to the meters.';
  it('by default routes Enable Supply by an HHT visit, never a configuration code', () => {
    if (seed001) assert.ok(seed001.includes(issueSec0009), 'the sentence is in seed 001');
    const d = chooseRoute({ ...off, request: 'enableSupply' });
    assert.deepEqual([d.route, d.alternatives, d.extension, d.extensions], ['hht-visit', [], false, []]);
    assert.ok(
      d.reasons.some((r) => /no configuration code for Enable Supply: IssueSEC0009/.test(r) && /governance\.routes\.configurationCodes is off/.test(r)),
      d.reasons.join('; '),
    );
    const flaky = chooseRoute({ ...base, request: 'enableSupply', hubWan: 'intermittent', coverage: 'partial' });
    assert.deepEqual([flaky.alternatives, flaky.extension], [['hht-visit'], false]);
  });
  it('offers the configuration code only when governance.routes.configurationCodes is on, marked an extension', () => {
    const d = chooseRoute({ ...off, request: 'enableSupply', configurationCodesEnabled: true });
    assert.deepEqual([d.route, d.alternatives, d.extension, d.extensions], ['consumer-code', ['hht-visit'], true, ['routes.configurationCodes']]);
    assert.ok(
      d.reasons.some((r) => /configuration code .*meterops extension/.test(r)),
      d.reasons.join('; '),
    );
    // A UTRN top-up is standard, whatever the setting.
    assert.equal(chooseRoute({ ...off, configurationCodesEnabled: true }).extension, false);
    // Credit mode: no consumer code at all.
    assert.equal(chooseRoute({ ...off, request: 'enableSupply', paymentMode: 'credit', configurationCodesEnabled: true }).route, 'hht-visit');
  });
});

describe('the PPMID relay (SECMP0038): intermittent WAN only unless governance widens it', () => {
  const seedSentence =
    'Acknowledge that there will be scenarios where there will be no-WAN and never-WAN coverage, considering the DCC obligation for WAN coverage is less than 100%, but not to assume this proposed alternative method of communication would be used in these scenarios, only in intermittent WAN scenarios.';
  const relay = { ...base, request: 'readStatus' as const, ppmidRelayEnabled: true };
  it('is offered as a fallback for an intermittent hub', () => {
    const d = chooseRoute({ ...relay, hubWan: 'intermittent', coverage: 'partial' });
    assert.deepEqual([d.route, d.alternatives, d.extension], ['wan', ['ppmid-relay', 'hht-visit'], false]);
    const lost = chooseRoute({ ...relay, hubWan: 'intermittent', coverage: 'not-covered' });
    assert.deepEqual([lost.route, lost.extension], ['ppmid-relay', false]);
  });
  it('is not offered for a hub with no WAN, and the reasons say why', () => {
    if (seed001) assert.ok(seed001.includes(seedSentence), 'the sentence is in seed 001');
    const d = chooseRoute({ ...relay, ...{ hubWan: 'no-wan', coverage: 'not-covered' } });
    assert.deepEqual([d.route, d.alternatives, d.extension], ['hht-visit', [], false]);
    assert.ok(
      d.reasons.some((r) => /relay is not offered for a hub with no WAN: the SECMP0038 working group paper .*not to assume .*no-WAN and never-WAN/.test(r)),
      d.reasons.join('; '),
    );
    assert.equal(chooseRoute({ ...off, request: 'enableSupply', ppmidRelayEnabled: true }).route, 'hht-visit');
    assert.equal(chooseRoute({ ...relay, hubWan: 'unknown', coverage: 'not-covered' }).route, 'hht-visit');
  });
  it('for a no-WAN hub only when ppmidRelayWanStates includes no-wan, marked an extension', () => {
    const d = chooseRoute({ ...relay, hubWan: 'no-wan', coverage: 'not-covered', ppmidRelayWanStates: ['intermittent', 'no-wan'] });
    assert.deepEqual([d.route, d.alternatives, d.extension, d.extensions], ['ppmid-relay', ['hht-visit'], true, ['routes.ppmidRelayWanStates']]);
    assert.ok(
      d.reasons.some((r) => /meterops extension/.test(r)),
      d.reasons.join('; '),
    );
    // Still never without METEROPS_PPMID_RELAY, and never for a request off its allow-list.
    assert.equal(chooseRoute({ ...relay, ppmidRelayEnabled: false, hubWan: 'no-wan', coverage: 'not-covered', ppmidRelayWanStates: ['no-wan'] }).route, 'hht-visit');
    assert.equal(chooseRoute({ ...relay, request: 'credentialChange', hubWan: 'no-wan', coverage: 'not-covered', ppmidRelayWanStates: ['no-wan'] }).route, 'hht-visit');
  });
  it('is not offered for an intermittent hub when governance removes intermittent', () => {
    const d = chooseRoute({ ...relay, hubWan: 'intermittent', coverage: 'not-covered', ppmidRelayWanStates: [] });
    assert.equal(d.route, 'hht-visit');
    assert.ok(
      d.reasons.some((r) => /offered only for hub WAN states \(none\)/.test(r)),
      d.reasons.join('; '),
    );
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
