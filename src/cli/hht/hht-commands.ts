import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { parseEui, ValidationError } from '../../domain/index.ts';
import type { UploadResult } from '../../services/hht-upload.ts';
import { CliError } from '../cli-error.ts';
import { httpDevicePort, platformCall, runVisit, uploadRows, type VisitFile } from './hht-client.ts';

const server = (o: { server?: string }, recorded?: string) => o.server ?? recorded ?? process.env.METEROPS_SERVER ?? 'http://127.0.0.1:8080';
function apiKey(o: { apiKey?: string }): string {
  const k = o.apiKey ?? process.env.METEROPS_API_KEY;
  if (!k) throw new ValidationError('apiKey', 'api-key', 'give the Supplier API key: --api-key KEY (or METEROPS_API_KEY)');
  return k;
}

async function readOrder(file: string): Promise<VisitFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read ${file}: ${code ?? (e as Error).message}${code === 'ENOENT' ? ' (no such file)' : ''}`,
      1,
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
    );
  }
  try {
    return JSON.parse(text) as VisitFile;
  } catch {
    throw new CliError(`${file} is not JSON: not an HHT order file`, 2, 'NOT_AN_ORDER');
  }
}

/**
 * Written beside, flushed to the disk, and renamed over (the folder flushed too): a crash or a
 * flat battery at any moment leaves the old file or the new one, whole, and a response once
 * written survives it.
 */
async function writeOrder(file: string, v: VisitFile): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify(v, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const dir = await open(dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export function hhtCommands(program: Command): void {
  const hht = program.command('hht').description('the hand-held terminal: pull a work order, visit offline, push the responses back (SRV 8.13)');
  const online = (c: Command) =>
    c.option('--server <url>', 'meterops API (METEROPS_SERVER, default http://127.0.0.1:8080)').option('--api-key <key>', 'Supplier API key (METEROPS_API_KEY)');

  online(hht.command('pull <orderId>'))
    .description('download a work order with its signed commands and pairings, to work offline')
    .requiredOption('--hht <eui>', "this terminal's EUI (the pairings are for it alone)")
    .requiredOption('--out <file>', 'where to keep the order')
    .action(async (orderId: string, o) => {
      const pkg = await platformCall<VisitFile>(server(o), apiKey(o), 'POST', `/v1/work-orders/${encodeURIComponent(orderId)}/pull`, { hht: parseEui(o.hht, 'hht') });
      // The server is kept with the order: the visit's device port and the push go back to it.
      await writeOrder(o.out, { ...pkg, server: server(o) });
      process.stdout.write(`order ${pkg.order.id}: ${pkg.commands.length} commands for premise ${pkg.order.premiseId}, expires ${pkg.order.expiresAt}\n`);
      for (const c of pkg.commands) process.stdout.write(`  ${c.seq}  ${c.useCase.padEnd(6)} ${c.deviceEui}  ${c.name}${c.critical ? ' (signed, variant 6)' : ' (variant 2)'}\n`);
    });

  hht
    .command('visit <file>')
    .description('at the premise, offline: pair with each device and apply the chosen commands; responses are kept in the file')
    .option('--apply <seqs>', 'comma-separated command numbers to apply (default all not yet applied)')
    .option('--device-port <url>', "the devices' local ports (simulation: the order's server/sim)")
    .action(async (file: string, o) => {
      const pkg = await readOrder(file);
      const apply = o.apply
        ? String(o.apply)
            .split(',')
            .map((s: string) => {
              if (!/^\d+$/.test(s.trim())) throw new ValidationError('apply', 'command-numbers', `--apply takes command numbers like 1,3; "${s}" is not one`);
              return Number(s);
            })
        : undefined;
      const port = httpDevicePort(o.devicePort ?? `${server({}, pkg.server)}/sim`);
      // Each response (or signed refusal) is in the file on disk before the next command is sent:
      // its counter is spent on the meter, so losing it would lose the only proof of what was done.
      // A visit cut short is resumed by running it again: commands already recorded are skipped.
      const kept = [...(pkg.visit?.records ?? [])];
      const records = await runVisit(pkg, port, {
        ...(apply ? { apply } : {}),
        now: () => new Date(),
        onStep: async (r) => {
          kept.push(r);
          await writeOrder(file, { ...pkg, visit: { records: kept } });
          process.stdout.write(`  ${r.seq}  ${r.useCase.padEnd(6)} ${r.deviceEui}  ${r.accepted ? 'accepted' : `refused: ${r.detail}`}\n`);
        },
      });
      process.stdout.write(`visit: ${records.length} commands applied, ${records.filter((r) => r.accepted).length} accepted; responses kept in ${file}\n`);
    });

  online(hht.command('push <file>'))
    .description('upload the responses kept in the file; safe to repeat (each is recorded once)')
    .action(async (file: string, o) => {
      const pkg = await readOrder(file);
      const rows = uploadRows(pkg);
      if (!rows.length) throw new CliError(`${file} holds no responses to upload: run hht visit first`, 2, 'NOTHING_TO_PUSH');
      const r = await platformCall<{ recorded: number; duplicate: number; rejected: number; results: UploadResult[] }>(
        server(o, pkg.server),
        apiKey(o),
        'POST',
        '/v1/hht/uploads',
        {
          responses: rows,
        },
      );
      for (const x of r.results) process.stdout.write(`  ${x.seq}  ${x.status}${x.status === 'rejected' ? `: ${x.reason}` : `: ${x.outcome}`}\n`);
      process.stdout.write(`push: ${r.recorded} recorded, ${r.duplicate} already recorded, ${r.rejected} rejected\n`);
      if (r.rejected) throw new CliError(`${r.rejected} responses were rejected`, 2, 'RESPONSES_REJECTED');
    });
}
