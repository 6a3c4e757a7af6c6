// The questions the SECMP0038 working group put to its risk assessment (seed 001), answered by
// runs of the simulated relay or from stated, configurable assumptions. Expected values are
// worked out here from the assumptions themselves, not read back from the report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/domain/errors.ts';
import { NO_RELAY } from '../../src/world/devices/ppmid-relay.ts';
import { runRelayAttackSuite } from '../../src/world/studies/relay-attack-suite.ts';
import {
  answerRelayQuestions,
  DEFAULT_RELAY_ASSUMPTIONS,
  deliveryDelayRun,
  firmwareRolloutRun,
  relayAssumptions,
  type RelayQuestionsReport,
} from '../../src/world/studies/relay-questions.ts';

const HOURS_A_YEAR = 8_760;

describe("SECMP0038's questions on the PPMID relay", () => {
  let report: RelayQuestionsReport;
  const answers = async () => (report ??= await answerRelayQuestions({ floodHours: 2 }));

  it('per channel: "Internet/Wi-Fi, USB, NFC) and what the associated risk ... would be for each possible avenue"', async () => {
    const r = await answers();
    const by = Object.fromEntries(r.channels.map((c) => [c.link, c]));
    const usb = DEFAULT_RELAY_ASSUMPTIONS.channels.usb;
    assert.deepEqual([by.wifi!.hoursUpPerYear, by.wifi!.exposureFromOutsideHoursPerYear, by.wifi!.consumerPresent], [HOURS_A_YEAR, HOURS_A_YEAR, false]);
    assert.equal(by.usb!.hoursUpPerYear, Math.round(((usb.sessionsPerYear * usb.minutesPerSession) / 60) * 10) / 10);
    for (const l of ['usb', 'nfc'] as const) {
      assert.equal(by[l]!.exposureFromOutsideHoursPerYear, 0, `${l}: nobody outside reaches it`);
      assert.equal(by[l]!.consumerPresent, true);
      assert.ok('notPossible' in by[l]!.outsideAttacks);
    }
    const w = by.wifi!.outsideAttacks;
    assert.ok('executed' in w && w.executed === 0 && w.floodDelayMinutes === 120, JSON.stringify(w));
  });

  it('the attack suite over USB or NFC counts no exposure from outside, over Wi-Fi the whole year', async () => {
    assert.equal((await runRelayAttackSuite({ floodHours: 1, link: 'usb' })).exposure.relayHoursPerYear, 0);
    assert.equal((await runRelayAttackSuite({ floodHours: 1, link: 'nfc' })).exposure.relayHoursPerYear, 0);
    assert.equal((await runRelayAttackSuite({ floodHours: 1, link: 'wifi' })).exposure.relayHoursPerYear, HOURS_A_YEAR);
  });

  it('a command on a link the consumer connects waits for the next session: about half the gap at the median', () => {
    const c = { reachableFromOutside: false, alwaysOn: false, sessionsPerYear: 52, minutesPerSession: 10 };
    const gap = HOURS_A_YEAR / 52;
    const d = deliveryDelayRun(c, 4_000, 'fixed-seed');
    assert.ok(Math.abs(d.p50Hours - gap / 2) < gap * 0.05, `p50 ${d.p50Hours} h against ${gap / 2} h`);
    assert.ok(Math.abs(d.p95Hours - gap * 0.95) < gap * 0.05, `p95 ${d.p95Hours} h against ${gap * 0.95} h`);
    assert.deepEqual(deliveryDelayRun({ ...c, alwaysOn: true }, 10, 'x'), { commands: 10, p50Hours: 0, p95Hours: 0 });
  });

  it('"forward any GBCS Command from the PPMID to the target device": genuine disconnections pass and can be timed; forgeries still fail', async () => {
    const r = (await answers()).allowListVersusForwardAnything;
    assert.deepEqual(r.genuineOffListPassed.allowList, 0);
    assert.ok(r.genuineOffListPassed.forwardAnything >= 2, JSON.stringify(r.genuineOffListPassed));
    assert.deepEqual(r.withheldDisconnectionRan, { allowList: false, forwardAnything: true });
    assert.match(r.forwardAnything[0]!, /executed through the relay: 0 /);
  });

  it('"responses to be received back by the DCC User, so they know whether a Command has been delivered successfully"', async () => {
    const p = (await answers()).responsePath;
    assert.deepEqual(p.genuineVerified, { attempts: 2, verified: 2 });
    assert.ok(p.tampered.attempts > 100);
    assert.equal(p.tampered.refused, p.tampered.attempts, 'every bit flipped on the way back is caught by the signature or MAC');
    assert.equal(p.replayedAnswer.refused, true);
    assert.match(p.replayedAnswer.reason, /counter/);
    assert.deepEqual(p.withheld, { executed: true, userKnows: false });
  });

  it('"the impact of requiring firmware upgrades on all existing and future Communications Hub": counts that follow from the assumptions', () => {
    const base = { premises: 2_000, hubsPerDay: 300, coveredSuccess: 1, intermittentSuccess: 1, maxAttempts: 3, daysBetweenAttempts: 2 };
    const sure = firmwareRolloutRun(base, 'fw');
    const w = sure.byWan;
    assert.equal(w.covered + w.intermittent + w.none, 2_000);
    assert.ok(w.none > 0 && w.intermittent > 0, JSON.stringify(w));
    const reachable = w.covered + w.intermittent;
    assert.deepEqual(
      [sure.upgraded, sure.attempts, sure.needVisit, sure.failed, sure.daysToLastUpgrade],
      [reachable, reachable, w.none, { covered: 0, intermittent: 0 }, Math.ceil(reachable / 300)],
    );
    // Over an intermittent WAN nothing lands: every one of them fails after all its attempts.
    const never = firmwareRolloutRun({ ...base, intermittentSuccess: 0 }, 'fw');
    assert.deepEqual(never.byWan, w, 'the same fleet');
    assert.deepEqual([never.failed.intermittent, never.intermittentUpgradedShare, never.attempts], [w.intermittent, 0, w.covered + w.intermittent * 3]);
    // The default campaign's hubs are the fleet's premises, each with one hub.
    const r = firmwareRolloutRun(DEFAULT_RELAY_ASSUMPTIONS.firmware, 'fw');
    assert.equal(r.upgraded + r.failed.covered + r.failed.intermittent + r.needVisit, DEFAULT_RELAY_ASSUMPTIONS.firmware.premises);
  });

  it('"what additional risk the proposed solution adds to existing Wi-Fienabled PPMIDs"', async () => {
    const a = (await answers()).addedRiskOverTodaysPpmid;
    assert.deepEqual(a.todayForwarded, { attempts: 4, forwarded: 0 });
    assert.equal(a.relayFloodDelayMinutes, 120);
    assert.equal(a.relayCommandTypesReachable, 3);
    assert.equal((await answers()).answers.length, 5);
  });

  it('refuses bad assumptions by path, unknown keys and non-JSON; and a flood over a hub that forwards no reads', async () => {
    assert.equal(relayAssumptions(), DEFAULT_RELAY_ASSUMPTIONS);
    assert.equal(relayAssumptions('{"channels":{"usb":{"sessionsPerYear":104}}}').channels.usb.sessionsPerYear, 104);
    assert.equal(relayAssumptions('{"channels":{"usb":{"sessionsPerYear":104}}}').channels.usb.minutesPerSession, DEFAULT_RELAY_ASSUMPTIONS.channels.usb.minutesPerSession);
    const bad = (json: string, re: RegExp) =>
      assert.throws(
        () => relayAssumptions(json),
        (e: unknown) => e instanceof ValidationError && e.field === 'assumptions' && re.test(e.message),
      );
    bad('{"channels":{"usb":{"sessionsPerYear":0}}}', /assumptions\.channels\.usb\.sessionsPerYear/);
    bad('{"firmware":{"coveredSuccess":1.5}}', /assumptions\.firmware\.coveredSuccess/);
    bad('{"firmware":{"speed":3}}', /speed/);
    bad('{nope', /not JSON/);
    await assert.rejects(runRelayAttackSuite({ floodHours: 1, policy: NO_RELAY }), (e: unknown) => e instanceof ValidationError && e.rule === 'relay-forwards-reads');
  });
});
