import type { Command } from 'commander';
import { RETURN_STATES, ValidationError } from '../../domain/index.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import type { ReturnsReport } from '../../services/returns/returns-analytics.ts';
import { commandGroup } from '../command-group.ts';
import { actingParty, withContext, type CliContext, type GlobalFlags } from '../context.ts';
import { printJson } from '../print-json.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadDuisExport = () => import('../../services/returns/duis-export.ts');
const loadRefurbish = () => import('../../services/returns/refurbish.ts');
const loadReturnsAnalytics = () => import('../../services/returns/returns-analytics.ts');
const loadReturns = () => import('../../services/returns/returns.ts');
const loadTriage = () => import('../../services/returns/triage.ts');
const loadGrants = () => import('../../services/returns/facility-grants.ts');

const collect = (v: string, prev: string[]) => [...prev, v];
const pence = (p: number) => `£${(p / 100).toFixed(2)}`;

export function returnsCommands(program: Command, globals: () => GlobalFlags): void {
  const run = async (o: { as?: string }, fn: (ctx: CliContext, as: string | undefined) => Promise<unknown>): Promise<void> =>
    void (await withContext(globals, (ctx) => fn(ctx, o.as)));
  const actor = (ctx: CliContext, as: string | undefined) => actingParty(ctx.deps, as);

  const r = program.command('returns').description('returned devices: return, custody, triage, refurbishment, reinstallation, DUIS');
  r.command('create')
    .description('return devices: EUI:REASON[:before-installation|after-installation], one --line each')
    .option('--as <party>')
    .requiredOption('--line <spec>', 'EUI:REASON[:FOUND]; repeat', collect, [])
    .option('--reference <ref>')
    .action((o) =>
      run(o, async (ctx, as) => {
        const lines = (o.line as string[]).map((s, i) => {
          const [deviceEui, reason, found] = s.split(':');
          if (!deviceEui || !reason) throw new ValidationError(`line[${i}]`, 'line-spec', `--line takes EUI:REASON[:FOUND]; got "${s}"`);
          return { deviceEui, reason, ...(found ? { found } : {}) };
        });
        const res = await (await loadReturns()).createReturn(ctx.deps, await actor(ctx, as), 'cli', { lines, ...(o.reference ? { reference: o.reference } : {}) });
        process.stdout.write(`${res.order.id}\n${res.lines.map((l) => `  ${l.id}  ${l.deviceEui} ${l.deviceType.padEnd(5)} ${l.reason}  incident ${l.incidentId}`).join('\n')}\n`);
      }),
    );
  withPageOptions(
    r
      .command('list')
      .description('return lines you returned, hold or have handled (the DCC: all), by id')
      .option('--as <party>')
      .option('--state <state>', RETURN_STATES.join(', '))
      .option('--return <id>', "one return order's lines")
      .option('--device <eui>'),
  ).action((o) =>
    run(o, async (ctx, as) => {
      const page = await (
        await loadReturns()
      ).listReturnLines(ctx.deps, await actor(ctx, as), {
        ...(o.state ? { state: o.state } : {}),
        ...(o.return ? { returnId: o.return } : {}),
        ...(o.device ? { deviceEui: o.device } : {}),
        ...pageArgs(o),
      });
      printPage(
        page,
        o,
        'lines',
        (l) =>
          `${l.id}  ${l.deviceEui} ${l.deviceType.padEnd(5)} ${l.state.padEnd(11)} ${(l.outcome ?? '-').padEnd(15)} ${l.reason}${l.changeOfSupplier ? ' (CoS)' : ''}  custody ${l.custodianPartyId} @ ${l.site}`,
        'no return lines',
      );
    }),
  );
  withPageOptions(r.command('orders').description('your return orders (the DCC: all), by id').option('--as <party>').option('--reference <ref>')).action((o) =>
    run(o, async (ctx, as) => {
      const page = await (await loadReturns()).listReturns(ctx.deps, await actor(ctx, as), { ...(o.reference ? { reference: o.reference } : {}), ...pageArgs(o) });
      printPage(page, o, 'returns', (x) => `${x.id}  ${x.createdAt.toISOString()}  ${x.partyId}  ${x.reference ?? '-'}  by ${x.createdBy}`, 'no returns');
    }),
  );
  r.command('show <lineId>')
    .option('--as <party>')
    .description('a return line and its whole history')
    .action((id: string, o) => run(o, async (ctx, as) => printJson(await (await loadReturns()).showReturnLine(ctx.deps, await actor(ctx, as), id))));
  r.command('export-duis <returnId>')
    .description('the hub return as a DUIS 8.14.3 / 8.14.4 request (XML on stdout)')
    .option('--as <party>')
    .option('--line <n>', 'which hub line, if several')
    .option('--incident-reference <ref>', 'at most 15 characters')
    .option('--user-ref <ref>', 'at most 25 characters')
    .option('--info <text>', 'additional information, at most 200 characters')
    .action((id: string, o) =>
      run(o, async (ctx, as) => {
        process.stdout.write(
          await (
            await loadDuisExport()
          ).exportHubReturnDuis(ctx.deps, await actor(ctx, as), id, {
            ...(o.line ? { line: Number(o.line) } : {}),
            ...(o.incidentReference ? { incidentReference: o.incidentReference } : {}),
            ...(o.userRef ? { userRefId: o.userRef } : {}),
            ...(o.info ? { additionalInformation: o.info } : {}),
          }),
        );
      }),
    );
  r.command('handover <lineId>')
    .description('hand a device over (chain of custody)')
    .option('--as <party>')
    .requiredOption('--to <party>')
    .requiredOption('--site <site>', 'a facility id, or a described place')
    .option('--seal <id:intact|broken>', 'a seal seen; repeat', collect, [])
    .action((id: string, o) =>
      run(o, async (ctx, as) => {
        const seals = (o.seal as string[]).map((s) => {
          const [sid, st] = s.split(':');
          if (st !== 'intact' && st !== 'broken') throw new ValidationError('seal', 'seal-state', `--seal takes ID:intact or ID:broken; got "${s}"`);
          return { id: sid, intact: st === 'intact' };
        });
        const l = await (await loadTriage()).handOver(ctx.deps, await actor(ctx, as), id, { toPartyId: o.to, site: o.site, seals });
        process.stdout.write(`${l.id}: with ${l.custodianPartyId} at ${l.site}, seals ${l.sealsIntact ? 'intact' : 'broken'}\n`);
      }),
    );
  r.command('triage <lineId>')
    .description('run a triage plan at your secure facility')
    .option('--as <party>')
    .requiredOption('--facility <id>')
    .requiredOption('--method <gold|bronze>')
    .option('--steps <list>', 'comma-separated steps (default all)')
    .action((id: string, o) =>
      run(o, async (ctx, as) => {
        const t = await (
          await loadTriage()
        ).triage(ctx.deps, await actor(ctx, as), id, { facilityId: o.facility, method: o.method, ...(o.steps ? { steps: String(o.steps).split(',') } : {}) });
        for (const s of t.result.steps) process.stdout.write(`  ${s.step.padEnd(17)} ${s.result.padEnd(7)} ${s.observations.join('; ')}\n`);
        process.stdout.write(`${id}: ${t.result.outcome}${t.result.fault ? ` (${t.result.fault})` : ''}\n`);
      }),
    );
  r.command('refurbish <lineId>')
    .description('wipe to vanilla credentials (Recovery CS02b), factory reset, re-seal, grade and stock')
    .option('--as <party>')
    .requiredOption('--grade <A|B|C>')
    .requiredOption('--location <where>')
    .option('--new-seal <id>', 'a new seal; repeat', collect, [])
    .action((id: string, o) =>
      run(o, async (ctx, as) => {
        const l = await (await loadRefurbish()).refurbish(ctx.deps, await actor(ctx, as), id, { grade: o.grade, location: o.location, newSeals: o.newSeal });
        process.stdout.write(l.state === 'scrapped' ? `${id}: scrapped: ${l.scrapReason}\n` : `${id}: in stock at ${l.stockLocation}, grade ${l.grade}, vanilla credentials\n`);
      }),
    );
  r.command('scrap <lineId>')
    .option('--as <party>')
    .requiredOption('--reason <text>')
    .description('scrap a triaged device')
    .action((id: string, o) =>
      run(o, async (ctx, as) => void process.stdout.write(`${(await (await loadRefurbish()).scrap(ctx.deps, await actor(ctx, as), id, o.reason)).id}: scrapped\n`)),
    );
  r.command('reinstall <lineId>')
    .description('install a stocked device at a premise: its NO cell handed to the region of the MPAN (CS02b)')
    .option('--as <party>')
    .requiredOption('--premise <id>')
    .action((id: string, o) =>
      run(o, async (ctx, as) => {
        const l = await (await loadRefurbish()).reinstall(ctx.deps, await actor(ctx, as), id, o.premise);
        process.stdout.write(`${id}: reinstalled at ${l.reinstalledAt}, NO credential ${l.noCredential}\n`);
      }),
    );

  program
    .command('facility-add')
    .description('register a triage facility, not secure: the DCC or the SSC grants secure status (facilities grant)')
    .option('--as <party>')
    .requiredOption('--id <id>')
    .requiredOption('--name <name>')
    .option('--secure', 'refused: secure status is granted by another party, not declared by the owner')
    .option('--smets2', 'refused: SMETS2 triage is granted with the secure status')
    .action((o) =>
      run(o, async (ctx, as) =>
        printJson(
          await (await loadReturns()).registerFacility(ctx.deps, await actor(ctx, as), { id: o.id, name: o.name, secure: o.secure === true, smets2Triage: o.smets2 === true }),
        ),
      ),
    );

  withPageOptions(
    program
      .command('removal-notices')
      .description("removal notices, newest first: a DNO's are those of its region; any party sees the removals it made")
      .option('--as <party>')
      .option('--distributor <id>', 'MPAN distributor id')
      .option('--device <eui>'),
  ).action((o) =>
    run(o, async (ctx, as) => {
      if (o.distributor !== undefined && !/^\d+$/.test(o.distributor))
        throw new ValidationError('distributor', 'distributor-id', `--distributor is a distributor id (10-99), got "${o.distributor}"`);
      const page = await (
        await loadReturns()
      ).removalNotices(ctx.deps, await actor(ctx, as), {
        ...(o.distributor !== undefined ? { distributorId: Number(o.distributor) } : {}),
        ...(o.device ? { deviceEui: o.device } : {}),
        ...pageArgs(o),
      });
      printPage(
        page,
        o,
        'notices',
        (n) => `${String(n.id).padStart(6)}  ${n.removedAt.toISOString()}  ${n.deviceEui}  premise ${n.premiseId}  distributor ${n.distributorId}  by ${n.removedBy}`,
        'no removal notices',
      );
    }),
  );

  const facilities = program.command('facilities').description('triage facilities');
  withPageOptions(
    facilities.command('list').description('your triage facilities (the DCC: all), by id').option('--as <party>').option('--secure', 'only registered secure facilities'),
  ).action((o) =>
    run(o, async (ctx, as) => {
      const page = await (await loadReturns()).listFacilities(ctx.deps, await actor(ctx, as), { ...(o.secure ? { secure: true } : {}), ...pageArgs(o) });
      printPage(
        page,
        o,
        'facilities',
        (f) => `${f.id}  ${f.partyId}  ${f.secure ? `secure (granted by ${f.grant?.by})` : 'not secure'}${f.smets2Triage ? ', SMETS2 triage' : ''}  ${f.name}`,
        'no facilities',
      );
    }),
  );
  facilities
    .command('grant <id>')
    .description("grant a facility secure status (the DCC or the SSC, never the facility's owner), recorded with who, when and the basis")
    .option('--as <party>')
    .requiredOption('--basis <text>', "what the grant rests on: the DCC's inspection, or the SSC approval reference")
    .option('--smets2', 'also grant SMETS2 triage there (of use only where governance lets a non-manufacturer triage SMETS2)')
    .action((id: string, o) =>
      run(o, async (ctx, as) => printJson(await (await loadGrants()).grantSecureStatus(ctx.deps, await actor(ctx, as), id, { basis: o.basis, smets2Triage: o.smets2 === true }))),
    );
  facilities
    .command('revoke <id>')
    .description("revoke a facility's secure status, with the reason (the DCC or the SSC)")
    .option('--as <party>')
    .requiredOption('--reason <text>')
    .action((id: string, o) => run(o, async (ctx, as) => printJson(await (await loadGrants()).revokeSecureStatus(ctx.deps, await actor(ctx, as), id, { reason: o.reason }))));

  commandGroup(program, 'report', 'reports')
    .command('returns')
    .description('returns and NFF rates by model, manufacturer, party, reason, SMETS generation; costs; stock locations')
    .option('--as <party>')
    .option('--exclude-cos', 'leave change-of-supplier returns out')
    .option('--csv')
    .option('--json')
    .action((o) =>
      run(o, async (ctx, as) => {
        const rep = await (await loadReturnsAnalytics()).returnsReport(ctx.deps, await actor(ctx, as), { excludeChangeOfSupplier: o.excludeCos === true });
        if (o.csv) return void process.stdout.write((await loadReturnsAnalytics()).returnsReportCsv(rep));
        if (o.json) return printJson(rep);
        printReport(rep);
      }),
    );
}

export function printReport(rep: ReturnsReport): void {
  const ov = rep.overall;
  process.stdout.write(
    `returns ${ov.returns}${rep.excludeChangeOfSupplier ? ' (change of supplier excluded)' : ''}; triaged ${ov.triaged}; NFF ${ov.nff} (${ov.nffRate ?? '-'}%); fault ${ov.fault}; inconclusive ${ov.inconclusive}; triaged more than once ${ov.repeatTriage}, by several parties ${ov.multiParty}\n`,
  );
  process.stdout.write(`refurbished ${ov.refurbished}; scrapped ${ov.scrapped}\n`);
  const m = rep.money;
  process.stdout.write(
    `costs: tests ${pence(m.testPence)}, refurbishment ${pence(m.refurbishPence)}, scrap ${pence(m.scrapPence)}, logistics ${pence(m.logisticsPence)}; avoided by refurbishing hubs ${pence(m.avoidedPence)}${m.avoidedPerRefurbishedHubPence !== null ? ` (${pence(m.avoidedPerRefurbishedHubPence)} a hub)` : ''}\n`,
  );
  const s = rep.stockLocations;
  process.stdout.write(
    `stock locations for the stock in hand: ${s.withVanilla} with vanilla credentials, ${s.regionLocked} region-locked; by variant (manufacturer's model): ${s.byVariant.withVanilla} against ${s.byVariant.regionLocked}\n`,
  );
  const i = rep.incidents;
  process.stdout.write(
    `CH and meter returned together: ${i.incidents} incidents; faulty: hub ${i.hub}, meter ${i.meter}, both ${i.both}, neither ${i.neither}, not yet known ${i.unknown}\n`,
  );
  for (const d of ['model', 'reason', 'smets_generation', 'found', 'age_in_service'] as const) {
    process.stdout.write(`by ${d}:\n${rep.by[d].map((g) => `  ${g.key.padEnd(40)} ${String(g.returns).padStart(7)} returns  NFF ${g.nffRate ?? '-'}%`).join('\n')}\n`);
  }
}
