import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROLE } from '../../src/gbcs/payloads/credentials.ts';
import { runConfigurationCodes } from '../../src/world/no-wan-options/configuration-codes.ts';
import { runEngineeringMenu } from '../../src/world/no-wan-options/engineering-menu.ts';
import { noWanOptionsReport } from '../../src/world/no-wan-options/no-wan-options-report.ts';
import { runOpticalPort } from '../../src/world/no-wan-options/optical-port.ts';
import { runPassThroughHht } from '../../src/world/no-wan-options/pass-through-hht.ts';
import { runPicocell } from '../../src/world/no-wan-options/picocell.ts';
import { runPreConfiguredSet } from '../../src/world/no-wan-options/pre-configured-set.ts';
import { runRestrictedHht } from '../../src/world/no-wan-options/restricted-hht.ts';
import { NO_WAN_OPTION_IDS } from '../../src/world/no-wan-options/seed-options.ts';
import { runSmartReadyMeter } from '../../src/world/no-wan-options/smart-ready-meter.ts';
import { NO_WAN_TASKS } from '../../src/world/no-wan-options/tasks.ts';
import { SimulatedWorld } from '../../src/world/simulated-world.ts';
import { studyFleet } from './study-fixture.ts';

const { noWan, run } = await studyFleet();
const p = noWan[0]!;
const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-9, `${x} != ${y}`);

describe('what each no-WAN option supports, run at a no-WAN premise', () => {
  // Seed 003, option 1: "Any smart-ready meter would have to be replaced with a meter pre- configured with the correct tariff".
  it('1 dumb or smart-ready: no HAN, no load switch; a tariff change is a meter exchange', async () => {
    const r = await runSmartReadyMeter(run(p, 't'));
    assert.deepEqual([r['han-ihd-pairing'].status, r['han-ihd-pairing'].basis], ['unsupported', 'run']);
    assert.match(r['han-ihd-pairing'].detail, /The consumer would not be provided with an IHD/);
    assert.deepEqual([r['tariff-change'].visits, r['tariff-change'].hours, r['tariff-change'].equipmentPence], [1, 1.5, 6000]);
    for (const t of ['supply-enable', 'supply-disable', 'top-up', 'credential-change', 'firmware'] as const) assert.equal(r[t].status, 'unsupported', t);
  });

  // Seed 003, option 2: "In the event of any component failure, the entire SME would need to be replaced".
  it('2 pre-configured set: HAN formed at the factory, a failed part replaces the set, the keypad takes UTRNs', async () => {
    const failing = await runPreConfiguredSet(run(p, 't', { setComponentFailureRate: 1 }));
    assert.deepEqual([failing.installation.visits, failing.installation.equipmentPence], [2, 60_000]);
    const fine = await runPreConfiguredSet(run(p, 't', { setComponentFailureRate: 0 }));
    assert.deepEqual([fine.installation.visits, fine.installation.equipmentPence], [1, 30_000]);
    assert.equal(fine['han-ihd-pairing'].status, 'done');
    assert.deepEqual([fine['top-up'].status, fine['top-up'].visits], ['done', 0]);
    assert.match(fine['top-up'].detail, /credit \+1000p/);
    assert.deepEqual([fine['tariff-change'].visits, fine['tariff-change'].equipmentPence], [1, 30_000]);
    assert.deepEqual([fine['supply-disable'].status, fine.commissioning.basis], ['unsupported', 'assumption']);
  });

  // Seed 003, option 3: "Time-consuming to set up, may not always be possible".
  it('3 picocell: every visit pays the set-up; with no cell the task fails after the last visit', async () => {
    const ctx = run(p, 't', { picocellFailureRate: 0 });
    const up = await runPicocell(ctx);
    // visit 1.5 h + set-up 45 min + 2 min at the meter.
    close(up['supply-disable'].hours, 1.5 + 0.75 + 2 / 60);
    assert.deepEqual([up['supply-disable'].status, up['supply-disable'].visits, up['supply-disable'].basis], ['done', 1, 'run']);
    assert.equal(up['credential-change'].status, 'done', up['credential-change'].detail);
    assert.equal(ctx.esme.anchors.get(ROLE.supplier, 'ds')?.partyEui, ctx.otherSupplier, 'CS02b moved the Supplier cells');
    assert.deepEqual([up.commissioning.status, up.commissioning.visits], ['done', 0], 'the cell came up in the installation visit');
    assert.equal(up['tariff-change'].basis, 'assumption');
    const down = await runPicocell(run(p, 't', { picocellFailureRate: 1 }));
    assert.deepEqual([down['supply-disable'].status, down['supply-disable'].visits], ['failed', 3]);
    close(down['supply-disable'].hours, 3 * (1.5 + 0.75));
    assert.deepEqual([down.commissioning.status, down.commissioning.visits], ['failed', 2], 'the first attempt shared the installation visit');
  });

  // Seed 003, option 4: "Not practical or reliable for configuring tariffs".
  it('4 engineering menu: unsigned supply changes; a keyed tariff fails with keystroke errors', async () => {
    const exact = await runEngineeringMenu(run(p, 't', { keystrokeErrorRate: 0 }));
    assert.equal(exact['tariff-change'].status, 'done');
    // 1.5 h visit + a 4 s PIN + 16 values x 5 keystrokes x 1.5 s.
    close(exact['tariff-change'].hours, 1.5 + 4 / 3600 + (80 * 1.5) / 3600);
    const sloppy = await runEngineeringMenu(run(p, 't', { keystrokeErrorRate: 1 }));
    assert.equal(sloppy['tariff-change'].status, 'failed');
    assert.match(sloppy['tariff-change'].detail, /16 of 16 values went in wrong/);
    close(exact['supply-disable'].hours, 1.5 + 4 / 3600 + 2 / 60);
    assert.deepEqual([exact['credential-change'].status, exact['credential-change'].basis], ['unsupported', 'run']);
  });

  it('5 optical interface: the field tool programs a tariff; credentials and firmware are not its business', async () => {
    const r = await runOpticalPort(run(p, 't', { opticalLeftEnabledRate: 0 }));
    close(r.tasks['tariff-change'].hours, 1.5 + 5 / 60);
    assert.equal(r.tasks['tariff-change'].status, 'done');
    assert.deepEqual([r.tasks.firmware.status, r.leftEnabledVisits, r.port.state], ['unsupported', 0, 'locked']);
  });

  it('6 configuration codes: enable supply and credit mode with no visit; a disable code cannot be built', async () => {
    const ctx = run(p, 't');
    const r = await runConfigurationCodes(ctx);
    assert.deepEqual([r['supply-enable'].status, r['supply-enable'].visits, r['switch-to-credit'].status], ['done', 0, 'done']);
    assert.deepEqual([ctx.esme.loadSwitch, ctx.esme.paymentMode], ['enabled', 'credit']);
    assert.deepEqual([r['supply-disable'].status, r['supply-disable'].basis], ['unsupported', 'run']);
    assert.match(r['supply-disable'].detail, /unknown configuration action "disableSupply"/);
  });

  it('7 pass-through HHT: signed commands delivered at the port and their responses verified', async () => {
    const ctx = run(p, 't');
    const r = await runPassThroughHht(ctx);
    for (const t of ['supply-disable', 'supply-enable', 'top-up', 'credential-change'] as const)
      assert.deepEqual([r[t].status, r[t].basis], ['done', 'run'], `${t}: ${r[t].detail}`);
    assert.match(r['supply-disable'].detail, /response verified/);
    assert.equal(ctx.esme.creditPence, 1000);
    const strict = await runPassThroughHht(run(p, 't', { unsimulatedSignedCommandsCarried: false }));
    assert.deepEqual([strict['tariff-change'].status, strict['tariff-change'].basis], ['unsupported', 'assumption']);
  });

  it('8 restricted HHT: the interface takes its limited set, unsigned, and nothing else', async () => {
    const r = await runRestrictedHht(run(p, 't'));
    assert.equal(r['supply-disable'].status, 'done');
    assert.deepEqual([r['tariff-change'].status, r['tariff-change'].basis], ['unsupported', 'run']);
    assert.match(r['tariff-change'].detail, /outside the HHT interface/);
  });
});

describe('meterops report no-wan-options, on a generated fleet', () => {
  it('every cell comes from a run or an assumption, the totals add up, and the same seed gives the same report', async () => {
    const world = new SimulatedWorld();
    const r = await noWanOptionsReport(world, { premises: 1000 });
    assert.equal(r.options.length, NO_WAN_OPTION_IDS.length);
    assert.equal(r.fleet.studied, r.fleet.noWanPremises);
    for (const o of r.options) {
      for (const t of NO_WAN_TASKS) {
        const c = o.tasks[t];
        assert.equal(c.premises, r.fleet.studied);
        assert.equal(c.done + c.failed + c.unsupported, c.premises);
        assert.ok(c.basis.length > 0 && c.basis.every((b) => b === 'run' || b === 'assumption'), `${o.id}/${t}`);
      }
      assert.equal(
        o.totals.visits,
        NO_WAN_TASKS.reduce((x, t) => x + o.tasks[t].visits, 0),
      );
      assert.ok(o.attacker.length > 0, o.id);
    }
    assert.ok(Object.values(r.assumptions).every((a) => a.source.length > 0 && a.unit.length > 0));
    assert.ok(r.verdicts.length >= 12);
    const again = await noWanOptionsReport(world, { premises: 1000 });
    assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(r)));
  });
});
