import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { CliError } from '../../src/cli/cli-error.ts';
import { describeFailure } from '../../src/cli/main.ts';
import { NotFoundError } from '../../src/domain/index.ts';
import { KeyNotFoundError } from '../../src/gbcs/key-store.ts';
import { openStore } from '../../src/store/store.ts';
import { anEui, aParty, withParties } from '../support/builders.ts';
import { meterops } from '../support/cli.ts';

/** Each failure is one line on stderr, `meterops: what is wrong [CODE ...]`, and never a stack trace. */
function oneLine(r: { code: number; stderr: string }, code: number, pattern: RegExp): string {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0]!, /^meterops: .+ \[[A-Z_]+( [\w-]+)?\]$/, 'the message and its code');
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(lines[0]!, pattern);
  return lines[0]!;
}

describe('meterops CLI failures: one line with its code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-cli-fail-'));
  const data = join(dir, 'data');
  const map = aParty({ id: 'fail-map', role: 'meter_asset_provider' });
  before(async () => {
    const { store } = await openStore({ kind: 'pglite', dataDir: data });
    await withParties(store, map);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an unclosed CSV quote names the line it opened on', async () => {
    const file = join(dir, 'quote.csv');
    writeFileSync(
      file,
      ['eui,type,manufacturer,model,firmwareVersion', `${anEui()},ESME,Acme,E470,3.1.0`, `"${anEui()},ESME,Acme,E470,3.1.0`, `${anEui()},ESME,Acme,E470,3.1.0`].join('\n') + '\n',
    );
    oneLine(
      await meterops('devices', 'import', file, '--as', map.id, '--data-dir', data),
      2,
      /quote\.csv line 3: a quote opened on this line is never closed \[VALIDATION_FAILED csv-quote\]$/,
    );
  });

  it('binary data in a device file names the line', async () => {
    const file = join(dir, 'binary.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`eui,type,manufacturer,model,firmwareVersion\n${anEui()},ESME,Acme,E470,3.1.0\n`), Buffer.from([0x89, 0x50, 0x00, 0x0d, 0x0a])]),
    );
    oneLine(await meterops('devices', 'import', file, '--as', map.id, '--data-dir', data), 2, /binary\.csv line 3: binary data .* \[VALIDATION_FAILED text-file\]$/);
  });

  it('a missing file names the path', async () => {
    const file = join(dir, 'no-such-file.csv');
    oneLine(
      await meterops('devices', 'import', file, '--as', map.id, '--data-dir', data),
      2,
      new RegExp(`${file.replace(/[.\\/]/g, '\\$&')}: no such file \\[VALIDATION_FAILED file-exists\\]$`),
    );
  });

  it('a frame argument that is neither a file nor hex says so', async () => {
    oneLine(await meterops('gbcs', 'decode', 'frame.bin'), 2, /"frame\.bin" is neither a file nor hex: .* \[NOT_A_FRAME\]$/);
  });

  it('a missing key names the key', async () => {
    const keys = join(dir, 'empty-keystore');
    mkdirSync(keys);
    const line = oneLine(
      await meterops(
        'utrn',
        '--keystore',
        keys,
        '--supplier',
        '90B3D51F30010000',
        '--device',
        '00DB1234567890A0',
        '--counter',
        String(1n << 32n),
        '--value',
        '10',
        '--class',
        'pounds',
      ),
      2,
      /\[KEY_NOT_FOUND\]$/,
    );
    assert.match(line, /no (private|public) [A-Z-]+ key for (90B3D51F30010000|00DB1234567890A0)/);
  });

  it('serve --port 99999 names the flag it came from', async () => {
    oneLine(await meterops('serve', '--port', '99999', '--no-demo', '--data-dir', data), 2, /^meterops: --port "99999": .*65535.* \[VALIDATION_FAILED config\]$/);
  });

  it('serve on a port in use says so, naming the flag to change', async () => {
    const held = createServer();
    const port = await new Promise<number>((resolve) => held.listen(0, 'localhost', () => resolve((held.address() as AddressInfo).port)));
    try {
      oneLine(
        await meterops('serve', '--port', String(port), '--no-demo', '--data-dir', data),
        2,
        new RegExp(`port ${port} on localhost is in use: .*--port \\[VALIDATION_FAILED port-free\\]$`),
      );
    } finally {
      held.close();
    }
  });

  it('a usage error is one line that points at --help', async () => {
    oneLine(await meterops('devices', 'list', '--as', map.id, '--colour', 'red'), 2, /unknown option '--colour' \(meterops --help\) \[USAGE unknownOption\]$/);
  });

  it('hht visit goes to the server recorded in the order file', async () => {
    // A server that is not listening (a port just freed): the visit must try it, and say so, not a default one.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const server = `http://127.0.0.1:${port}`;
    const file = join(dir, 'order.json');
    const device = anEui();
    writeFileSync(
      file,
      JSON.stringify({
        format: 'meterops-hht-order/1',
        server,
        order: { id: 'wo-test', premiseId: 'p', supplierEui: '90B3D51F30010000', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
        hht: 'F0F0F0F0F0F00001',
        commands: [{ seq: 1, deviceEui: device, useCase: 'ECS45', name: 'read', variant: 2, critical: false, counter: '1', frame: 'DD00' }],
        pairings: [{ deviceEui: device, authorisation: '00' }],
      }),
    );
    oneLine(await meterops('hht', 'visit', file), 1, new RegExp(`cannot reach the device port at http://127\\.0\\.0\\.1:${port}/sim: ECONNREFUSED \\[DEVICE_PORT_UNREACHABLE\\]$`));
  });

  it('the installed command says clearly when the build is missing', async () => {
    const bin = join(dir, 'unbuilt', 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(join('bin', 'meterops.js'), join(bin, 'meterops.js'));
    const r = await promisify(execFile)(process.execPath, [join(bin, 'meterops.js'), '--help']).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    oneLine(r, 1, /the CLI is not built .* run "npm run build" \(npm install runs it\) \[BUILD_MISSING\]$/);
  });

  it('describes every kind of failure in one line with a code', () => {
    const cases: Array<[unknown, string, number]> = [
      [new CliError('two\nlines', 2, 'X_CODE'), 'two; lines [X_CODE]', 2],
      [new NotFoundError('device', 'ABC', 'eui'), 'device ABC not found [NOT_FOUND]', 2],
      [new KeyNotFoundError('00DB1234567890A0', 'ka', 'private'), 'no private KA key for 00DB1234567890A0: the keystore has no such key [KEY_NOT_FOUND]', 2],
      [Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/x/y.pem' }), 'cannot read /x/y.pem: no such file or directory [FILE_NOT_FOUND]', 2],
      [new TypeError('something\n    at frame (x.ts:1:1)'), 'something; at frame (x.ts:1:1) [INTERNAL]', 1],
      [
        new CommanderError(1, 'commander.missingMandatoryOptionValue', "error: required option '--as <party>' not specified"),
        "required option '--as <party>' not specified (meterops --help) [USAGE missingMandatoryOptionValue]",
        2,
      ],
    ];
    for (const [err, line, exitCode] of cases) assert.deepEqual(describeFailure(err), { line, exitCode });
    assert.deepEqual(describeFailure(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')), { line: null, exitCode: 0 });
  });
});
