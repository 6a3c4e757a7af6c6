import { basename } from 'node:path';
import type { Command } from 'commander';
import { printJson } from '../print-json.ts';
import { ASSET_STATUSES, DEVICE_TYPES, INVENTORY_STATUSES, parseEui, ValidationError, type Device, type DeviceEvent } from '../../domain/index.ts';
import { pageArgs, printPage, withPageOptions } from '../page-options.ts';
import { actingParty, openContext, type GlobalFlags } from '../context.ts';
import { CliError } from '../cli-error.ts';

// Use cases are loaded by the command that runs them, so that `meterops --help` loads none.
const loadDeviceLifecycle = () => import('../../services/device-lifecycle.ts');
const loadRegisterDevices = () => import('../../services/register-devices.ts');

function deviceLine(d: Device): string {
  return [d.eui, d.type.padEnd(6), d.inventoryStatus.padEnd(24), d.assetStatus.padEnd(16), `${d.manufacturer} ${d.model} ${d.firmwareVersion}`].join('  ');
}

function eventLine(e: DeviceEvent): string {
  return [e.occurredAt.toISOString(), e.lifecycle.padEnd(9), `${e.fromStatus ?? '-'} -> ${e.toStatus}`.padEnd(40), e.actorPartyId, e.location ?? '', e.reason ?? '']
    .join('  ')
    .trimEnd();
}

/** A flag's value from a closed set, or a refusal naming the flag and the set. */
export function oneOf<T extends string>(values: readonly T[], v: string, flag: string): T {
  if (!(values as readonly string[]).includes(v)) throw new ValidationError(flag, 'one-of', `--${flag} is one of ${values.join(', ')}; not "${v}"`);
  return v as T;
}

export function deviceCommands(program: Command, globals: () => GlobalFlags): void {
  const devices = program.command('devices').description('the device registry');

  devices
    .command('add')
    .description('register one device')
    .requiredOption('--as <party>', 'the party acting')
    .requiredOption('--eui <eui>', 'EUI-64')
    .requiredOption('--type <type>', 'ESME, GSME, CHF, GPF, PPMID, IHD, CAD, HCALCS')
    .requiredOption('--manufacturer <name>')
    .requiredOption('--model <name>')
    .requiredOption('--firmware <version>')
    .option('--smets <generation>', 'SMETS1 or SMETS2+', 'SMETS2+')
    .option('--owner <party>', 'owning MAP')
    .option('--supplier <party>', 'supplier of record')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const ctx = await openContext(globals());
      try {
        const actor = await actingParty(ctx.deps, o.as);
        const result = await (
          await loadRegisterDevices()
        ).registerDevices(ctx.deps, actor, [
          {
            row: 1,
            input: {
              eui: o.eui,
              type: o.type,
              manufacturer: o.manufacturer,
              model: o.model,
              firmwareVersion: o.firmware,
              smetsGeneration: o.smets,
              ownerPartyId: o.owner,
              supplierPartyId: o.supplier,
            },
          },
        ]);
        if (result.failed) {
          throw new CliError(result.rows[0]!.errors.map((e) => `${e.message} [${e.field} ${e.rule}]`).join('; '), 2, 'VALIDATION_FAILED');
        }
        const d = await (await loadDeviceLifecycle()).showDevice(ctx.deps, actor, parseEui(o.eui));
        if (o.json) printJson(d);
        else process.stdout.write(`registered ${deviceLine(d)}\n`);
      } finally {
        await ctx.close();
      }
    });

  devices
    .command('show <eui>')
    .description('one device')
    .requiredOption('--as <party>', 'the party acting')
    .option('--json', 'print JSON')
    .action(async (eui: string, o) => {
      const ctx = await openContext(globals());
      try {
        const d = await (await loadDeviceLifecycle()).showDevice(ctx.deps, await actingParty(ctx.deps, o.as), parseEui(eui));
        if (o.json) printJson(d);
        else
          process.stdout.write(
            Object.entries(d)
              .map(([k, v]) => `${k.padEnd(18)} ${v instanceof Date ? v.toISOString() : (v ?? '-')}`)
              .join('\n') + '\n',
          );
      } finally {
        await ctx.close();
      }
    });

  withPageOptions(
    devices
      .command('list')
      .description('devices the acting party is the supplier of record, owner or custodian of (the DCC: all), by EUI')
      .requiredOption('--as <party>', 'the party acting')
      .option('--type <type>', DEVICE_TYPES.join(', '))
      .option('--inventory-status <status>')
      .option('--asset-status <status>')
      .option('--manufacturer <name>')
      .option('--model <name>')
      .option('--premise <id>', 'installed at this premise'),
  ).action(async (o) => {
    const ctx = await openContext(globals());
    try {
      const page = await (
        await loadDeviceLifecycle()
      ).listDevices(ctx.deps, await actingParty(ctx.deps, o.as), {
        ...(o.type ? { type: oneOf(DEVICE_TYPES, o.type, 'type') } : {}),
        ...(o.inventoryStatus ? { inventoryStatus: oneOf(INVENTORY_STATUSES, o.inventoryStatus, 'inventory-status') } : {}),
        ...(o.assetStatus ? { assetStatus: oneOf(ASSET_STATUSES, o.assetStatus, 'asset-status') } : {}),
        ...(o.manufacturer ? { manufacturer: o.manufacturer } : {}),
        ...(o.model ? { model: o.model } : {}),
        ...(o.premise ? { premiseId: o.premise } : {}),
        ...pageArgs(o),
      });
      printPage(page, o, 'devices', deviceLine, 'no devices');
    } finally {
      await ctx.close();
    }
  });

  devices
    .command('import <file>')
    .description('register devices from CSV (with a header) or JSON Lines; writes nothing unless every row is valid')
    .requiredOption('--as <party>', 'the party acting')
    .option('--format <format>', 'csv or jsonl (default: from the file name)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, o) => {
      const [{ SingleBar, Presets }, { formatOf, readDeviceFile }] = await Promise.all([import('cli-progress'), import('../device-file-reader.ts')]);
      const format = formatOf(file, o.format);
      const ctx = await openContext(globals());
      const bar = new SingleBar({ format: ' {phase} [{bar}] {percentage}% | {value}/{total} {unit}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
      const showBar = o.progress !== false && process.stderr.isTTY === true;
      try {
        const actor = await actingParty(ctx.deps, o.as);
        if (showBar) bar.start(1, 0, { phase: 'read    ', unit: 'bytes' });
        const { rows, problems } = await readDeviceFile(file, format, (read, total) => {
          if (!showBar) return;
          bar.setTotal(total);
          bar.update(read);
        });
        let phase = '';
        const result = await (
          await loadRegisterDevices()
        ).registerDevices(
          ctx.deps,
          actor,
          rows,
          (p, done, total) => {
            if (!showBar) return;
            if (p !== phase) {
              phase = p;
              bar.setTotal(total);
            }
            bar.update(done, { phase: p.padEnd(8), unit: 'rows' });
          },
          `imported from ${basename(file)}`,
          problems.map((p) => ({ row: p.row, eui: null, ok: false, errors: [{ field: p.field, rule: p.rule, message: p.message }] })),
        );
        if (showBar) bar.stop();
        // The reader's problems came back among the rows: one list, in file order.
        const bad = result.rows.filter((r) => !r.ok).flatMap((r) => r.errors.map((e) => ({ row: r.row, field: e.field ?? '', rule: e.rule ?? '', message: e.message })));
        if (bad.length) {
          for (const p of bad.slice(0, 200)) process.stderr.write(`line ${p.row}: ${p.message} [${p.field} ${p.rule}]\n`);
          if (bad.length > 200) process.stderr.write(`... and ${bad.length - 200} more problems\n`);
          throw new CliError(`${file}: ${new Set(bad.map((b) => b.row)).size} bad row(s) of ${rows.length + problems.length}; nothing was written`, 2, 'IMPORT_REFUSED');
        }
        if (result.written === 0) {
          throw new CliError(`${file}: no device rows; nothing was written`, 2, 'IMPORT_REFUSED');
        }
        process.stdout.write(`imported ${result.written} devices from ${file}\n`);
      } finally {
        if (showBar) bar.stop();
        await ctx.close();
      }
    });

  program
    .command('events <eui>')
    .description("a device's history: every lifecycle transition, oldest first")
    .requiredOption('--as <party>', 'the party acting')
    .option('--after-id <id>', 'events after this id')
    .option('--limit <n>', 'at most n (1-500)', '500')
    .option('--json', 'print JSON')
    .action(async (eui: string, o) => {
      const ctx = await openContext(globals());
      try {
        const events = await (
          await loadDeviceLifecycle()
        ).deviceEvents(ctx.deps, await actingParty(ctx.deps, o.as), parseEui(eui), {
          ...(o.afterId ? { afterId: Number(o.afterId) } : {}),
          limit: Number(o.limit),
        });
        if (o.json) printJson(events);
        else process.stdout.write(events.map(eventLine).join('\n') + '\n');
      } finally {
        await ctx.close();
      }
    });
}
