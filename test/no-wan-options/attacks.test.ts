import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runClonedHht } from '../../src/world/no-wan-options/attacks/cloned-hht.ts';
import { measureCodeSpace, runCodeGuessing, runCodeReplay } from '../../src/world/no-wan-options/attacks/config-code-guessing.ts';
import { runOpticalPortAttack } from '../../src/world/no-wan-options/attacks/optical-port-left-enabled.ts';
import { runPinGuessing } from '../../src/world/no-wan-options/attacks/pin-guessing.ts';
import { runRoguePicocell } from '../../src/world/no-wan-options/attacks/rogue-picocell.ts';
import { runWorkOrderReplay } from '../../src/world/no-wan-options/attacks/work-order-replay.ts';
import { menuPin } from '../../src/world/no-wan-options/engineering-menu.ts';
import { runOpticalPort } from '../../src/world/no-wan-options/optical-port.ts';
import { resolveAssumptions } from '../../src/world/no-wan-options/assumptions.ts';
import { studyFleet } from './study-fixture.ts';

const { fleet, noWan, run } = await studyFleet();
const [first, second] = [noWan[0]!, noWan[1]!];

describe('attacks on the no-WAN options, run', () => {
  it('fixture: the fleet has no-WAN premises to attack', () => {
    assert.ok(noWan.length >= 4, `${noWan.length} no-WAN premises`);
  });

  // Seed 003, option 4: "Any critical functions available from the menu left enabled would present a significant security risk".
  it('PIN guessing against the engineering menu keeps to the lock-out arithmetic, then disables supply, and a fleet PIN opens every meter', () => {
    const target = run(first, 'pin');
    const others = noWan.slice(1).map((p) => run(p, 'pin'));
    const r = runPinGuessing(target, others);
    // The secret of the set-up: the attacker tries 0000, 0001, ... so needs P + 1 guesses.
    const p = Number(menuPin(fleet.options.seed, target.esme.eui, target.a));
    // By hand: P wrong guesses, one lock-out after every 3rd (60 min instead of the 4 s to the next guess).
    const locks = Math.floor(p / 3);
    const seconds = (p - locks) * 4 + locks * 3600;
    assert.deepEqual([r.guessesToSuccess, r.lockouts, r.refusedWhileLocked], [p + 1, locks, locks]);
    assert.equal(r.hoursToSuccess, Math.round((seconds / 3600) * 10) / 10);
    // Every PIN: 9,999 wrong, 3,333 lock-outs: 6,666 x 4 s + 3,333 x 3,600 s = 12,025,464 s = 139.18 days.
    assert.equal(r.worstCaseDays, 139.2);
    assert.equal(r.disableSupplyAccepted, true);
    assert.equal(target.esme.loadSwitch, 'disabled');
    assert.deepEqual([r.otherMetersOpened, r.otherMeters], [noWan.length - 1, noWan.length - 1], 'one installer PIN for the fleet (menuPinPerMeter false)');
  });

  it('the menu with disable supply left off, and per-meter PINs, gives less', () => {
    const a = { menuCriticalFunctionsEnabled: false, menuPinPerMeter: true, menuPinDigits: 3 };
    const target = run(first, 'pin', a);
    const r = runPinGuessing(target, [run(second, 'pin', a)]);
    assert.equal(r.disableSupplyAccepted, false);
    assert.match(r.disableSupplyDetail, /not on this menu/);
    assert.equal(target.esme.loadSwitch, 'enabled');
    const other = Number(menuPin(fleet.options.seed, noWan[1]!.devices.ESME!, resolveAssumptions(a)));
    const found = Number(menuPin(fleet.options.seed, target.esme.eui, resolveAssumptions(a)));
    assert.equal(r.otherMetersOpened, other === found ? 1 : 0);
  });

  // Seed 003, option 8: "Commands from HHT will not be signed" and "Vulnerable to attack through misuse of HHT / through the HHT interface".
  it("a cloned HHT identity's unsigned disable-supply is accepted by the restricted interface, and refused on the pass-through route", async () => {
    const restricted = run(first, 'clone');
    const passThrough = run(second, 'stolen');
    const r = await runClonedHht(restricted, passThrough);
    assert.deepEqual(
      r.restricted.map((x) => x.accepted),
      [false, true, true, false],
    );
    assert.match(r.restricted[0]!.outcome, /not a recognised HHT/);
    assert.match(r.restricted[3]!.outcome, /outside the HHT interface/);
    // The last command of the clone was enableSupply after armSupply: the meter obeyed each one.
    assert.equal(restricted.esme.loadSwitch, 'enabled');
    assert.deepEqual(
      r.passThrough.map((x) => x.accepted),
      [false, false, true, false],
    );
    assert.match(r.passThrough[0]!.outcome, /mac-invalid \(0x8F3D\)/);
    assert.match(r.passThrough[1]!.outcome, /mac-invalid/);
    assert.match(r.passThrough[3]!.outcome, /the authorisation is for F0F0F0F0F0F01812/);
    assert.equal(passThrough.esme.loadSwitch, 'enabled', 'no forged disable took');
  });

  // Seed 003, option 5: "If left enabled, would present a significant security risk".
  it('an optical interface left enabled takes an unauthenticated disable; a locked one refuses, and a wrong key does not open it', async () => {
    const ports = async (rate: number) => {
      const out = [];
      for (const p of noWan) out.push((await runOpticalPort(run(p, 'optical', { opticalLeftEnabledRate: rate }))).port);
      return out;
    };
    const open = runOpticalPortAttack(await ports(1));
    assert.deepEqual([open.leftEnabled, open.disableSupplyAccepted, open.tariffAccepted], [noWan.length, noWan.length, noWan.length]);
    const shut = await ports(0);
    const before = shut.map((p) => p.esme.loadSwitch);
    const locked = runOpticalPortAttack(shut);
    assert.deepEqual([locked.leftEnabled, locked.disableSupplyAccepted, locked.wrongKeyAuthenticated, locked.lockedPorts], [0, 0, 0, noWan.length]);
    assert.deepEqual(locked.refusals, ['the optical interface is locked: authenticate the field tool first']);
    assert.deepEqual(
      shut.map((p) => p.esme.loadSwitch),
      before,
      'no locked port let the attacker change the load switch',
    );
  });

  it('the code space of the format, measured on random strings, matches the count from gbcs.md section 5', () => {
    const n = 200_000;
    const r = measureCodeSpace('code-space-test', n);
    // PPTD = PTUT + 7394156990786306048 with PTUT < 2^57 (7 top bits zero): 2^57 of the 10^19 19-digit values;
    // class 11 undefined: 3 classes of 4; one check digit in 10.
    const p = (2 ** 57 / 1e19) * (3 / 4) * (1 / 10);
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(r.wellFormed - n * p) < 4 * sd, `${r.wellFormed} well-formed, expected ${n * p} ± ${4 * sd}`);
    assert.equal(r.authenticChancePerGuess, 1 / 4_294_967_296);
  });

  // Seed 003, option 6: "Codes would only work on the target meter, and would only be accepted once by the meter".
  it('code guessing at the keypad: the lock-out arithmetic of a run equals the closed form, for two settings', async () => {
    const expected = (days: number, s: number, t: number, m: number) => {
      const d = days * 86_400;
      const cycle = (t - 1) * s + m * 60;
      const evaluated = Math.floor(d / cycle) * t + Math.min(t, Math.ceil((d % cycle) / s));
      return { typed: Math.ceil(d / s), evaluated };
    };
    for (const a of [
      { codeGuessDays: 7, codeEntrySeconds: 20, codeLockoutAfter: 5, codeLockoutMinutes: 60 },
      { codeGuessDays: 2, codeEntrySeconds: 60, codeLockoutAfter: 3, codeLockoutMinutes: 30 },
    ]) {
      const r = await runCodeGuessing(run(first, 'guess', a));
      const e = expected(a.codeGuessDays, a.codeEntrySeconds, a.codeLockoutAfter, a.codeLockoutMinutes);
      assert.deepEqual([r.entriesTyped, r.evaluated, r.refusedWhileLocked, r.accepted], [e.typed, e.evaluated, e.typed - e.evaluated, 0], JSON.stringify(a));
      assert.equal(r.lockouts, Math.floor(e.evaluated / a.codeLockoutAfter));
      assert.equal(r.yearsToEvenChance, Math.round((Math.log(2) * 2 ** 32) / ((e.evaluated / a.codeGuessDays) * 365.25)));
      assert.match(r.genuineDuringLockout, /^refused: keypad locked out/);
      assert.match(r.genuineAfterLockout, /^accepted: credit \+500p/);
    }
    // The defaults by hand: cycles of 4 x 20 s + 3600 s = 3680 s; 604800 s hold 164 of them (5 each) and 1280 s more (5): 825.
    assert.equal(expected(7, 20, 5, 60).evaluated, 825);
  });

  it('a genuine configuration code works once, on its meter only, and never after a newer one', async () => {
    const r = await runCodeReplay(run(first, 'replay'), run(second, 'replay'));
    assert.deepEqual(
      r.map((x) => x.accepted),
      [true, false, false, true, false],
    );
    // gbcs.md section 5: 0x8F51 duplicate UTRN, 0x8F63 UTRN not authentic.
    assert.match(r[1]!.outcome, /^refused 0x8F51/);
    assert.match(r[2]!.outcome, /^refused 0x8F63/);
    assert.match(r[4]!.outcome, /^refused 0x8F51: a newer configuration code/);
  });

  // Seed 003, option 3: "Can perform all installation and maintenance functions through the WAN": so can an attacker's own cell, if the meter let it.
  it('a rogue picocell reaches the hub, but the meter refuses a forged disable and a captured one replayed', async () => {
    const target = run(first, 'rogue');
    const r = await runRoguePicocell(target);
    assert.deepEqual(
      r.map((x) => [x.accepted, x.outcome.replace(/; load switch \w+$/, '')]),
      [
        [true, 'executed'],
        [false, 'refused by the meter: mac-invalid'],
        [false, 'refused by the meter: counter-not-increasing'],
      ],
    );
    assert.equal(target.esme.loadSwitch, 'enabled', 'the engineer disabled and re-enabled; the attacker changed nothing');
  });

  // Seed 003, option 7: "Signed commands and signed device pairing pre-loaded on device together with the work-order".
  it('a captured pass-through order replayed later or elsewhere is refused by the meter and by the upload check', async () => {
    const target = run(first, 'capture');
    const r = await runWorkOrderReplay(target, run(second, 'capture'));
    assert.deepEqual(
      r.map((x) => x.accepted),
      [true, true, false, false, false, false, false, false],
    );
    assert.match(r[2]!.outcome, /counter-not-increasing/);
    assert.match(r[3]!.outcome, /the authorisation expired at/);
    assert.match(r[4]!.outcome, /the port took it; refused by the meter: counter-not-increasing/);
    assert.match(r[5]!.outcome, /the authorisation is for device /);
    assert.match(r[6]!.outcome, /wrong-recipient/);
    assert.match(r[7]!.outcome, /^rejected: the response is from /);
    assert.equal(target.esme.loadSwitch, 'enabled', 'the genuine visit disabled then enabled; no replay changed it');
  });
});
