import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { meterops } from '../support/cli.ts';

describe('meterops init, parties, users and keys on a fresh data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meterops-access-'));
  const at = ['--data-dir', dir];
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('init makes a fresh directory usable: the DCC party, a first administrator, how to sign in; then fleet generate works', async () => {
    const init = await meterops('init', ...at);
    assert.equal(init.code, 0, init.stderr);
    // Opening the fresh database initialised it: the password goes to stderr once, and init says it is done.
    assert.match(init.stderr, /initialised: platform party dcc, first administrator "admin"\n {2}password \(shown once\): [A-Za-z0-9_-]{24}\n {2}sign in: curl /);
    assert.match(init.stdout, /^initialised \(platform party dcc\)/);
    const again = await meterops('init', ...at);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr, '', 'no second password');
    const fleet = await meterops('fleet', 'generate', '--premises', '2', '--seed', 'fresh-dir', ...at);
    assert.equal(fleet.code, 0, fleet.stderr);
    assert.match(fleet.stdout, /2 premises/);
  });

  it('registers a party, adds a person, issues a key (secret once), lists with a cursor, and refuses bad input', async () => {
    const add = await meterops('parties', 'add', '--id', 'north-no', '--name', 'Northern NO', '--role', 'network_operator', '--region', '15', '--eui', '90B3D51F30020001', ...at);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^north-no\s+active\s+network_operator\s+90B3D51F30020001\s+region 15\s+Northern NO/);
    const badRegion = await meterops('parties', 'add', '--id', 'south-no', '--name', 'S', '--role', 'network_operator', '--region', '7', ...at);
    assert.equal(badRegion.code, 2);
    assert.match(badRegion.stderr, /distributor id 7 is unknown .*\[VALIDATION_FAILED known-distributor-id\]/);
    const dupEui = await meterops('parties', 'add', '--id', 'copy-no', '--name', 'C', '--role', 'import_supplier', '--eui', '90B3D51F30020001', ...at);
    assert.match(dupEui.stderr, /EUI 90B3D51F30020001 is already the User ID of party north-no \[CONFLICT party-eui-unique\]/);
    const user = await meterops('users', 'add', '--party', 'north-no', '--username', 'nina', '--name', 'Nina', '--role', 'operator', ...at);
    assert.equal(user.code, 0, user.stderr);
    assert.match(user.stdout, /password \(shown once\): [A-Za-z0-9_-]{24}/);
    const badRole = await meterops('users', 'add', '--party', 'north-no', '--username', 'ned', '--name', 'Ned', '--role', 'boss', ...at);
    assert.match(badRole.stderr, /unknown role "boss"/);
    const key = await meterops('keys', 'issue', '--party', 'north-no', '--name', 'scada', '--role', 'auditor', '--expires-in-days', '30', ...at);
    assert.equal(key.code, 0, key.stderr);
    assert.match(key.stdout, /secret \(shown once\): mo_[A-Za-z0-9_-]{43}/);
    const list = await meterops('parties', 'list', '--limit', '1', ...at);
    assert.equal(list.code, 0, list.stderr);
    const cursor = /more: --cursor (\S+)/.exec(list.stdout)?.[1];
    assert.ok(cursor, list.stdout);
    const next = await meterops('parties', 'list', '--limit', '1', '--cursor', cursor, ...at);
    assert.match(next.stdout, /^north-no /);
    const keys = await meterops('keys', 'list', '--party', 'north-no', '--json', ...at);
    const page = JSON.parse(keys.stdout);
    assert.deepEqual([page.keys.length, page.keys[0].name, page.keys[0].state, page.next], [1, 'scada', 'active', null]);
    assert.ok(!keys.stdout.includes('mo_'), 'a list never shows a secret');
    const suspend = await meterops('parties', 'suspend', 'north-no', '--reason', 'test', ...at);
    assert.equal(suspend.code, 0, suspend.stderr);
    const asSuspended = await meterops('keys', 'list', '--as', 'north-no', ...at);
    assert.equal(asSuspended.code, 2);
    assert.match(asSuspended.stderr, /party north-no is suspended \(test\) \[FORBIDDEN party-suspended\]/);
  });
});
