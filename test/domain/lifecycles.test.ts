import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASSET_STATUSES,
  assertAssetTransition,
  assertInventoryTransition,
  assetTransitions,
  DEVICE_TYPES,
  INVENTORY_STATUSES,
  inventoryTransitions,
  StatusIncompatibleError,
  userSettableStatuses,
  type DeviceType,
  type InventoryStatus,
} from '../../src/domain/index.ts';

const isE5 = (e: unknown) => e instanceof StatusIncompatibleError && e.code === 'E5' && e.status === 409;

describe('DCC inventory status', () => {
  it('lets the DCC make every move in the table, for every device type', () => {
    let moves = 0;
    for (const type of DEVICE_TYPES) {
      for (const from of INVENTORY_STATUSES) {
        for (const to of inventoryTransitions(from)) {
          assert.doesNotThrow(() => assertInventoryTransition(type, from, to, 'dcc'), `${type} ${from} -> ${to}`);
          moves++;
        }
      }
    }
    assert.ok(moves > 100);
  });

  it('lets Users set only Pending / InstalledNotCommissioned on meters, Commissioned / Withdrawn / InstalledNotCommissioned on a CH', () => {
    assert.deepEqual(userSettableStatuses('ESME'), ['Pending', 'InstalledNotCommissioned']);
    assert.deepEqual(userSettableStatuses('GSME'), ['Pending', 'InstalledNotCommissioned']);
    assert.deepEqual(userSettableStatuses('CHF'), ['Commissioned', 'Withdrawn', 'InstalledNotCommissioned']);
    assert.deepEqual(userSettableStatuses('GPF'), ['Commissioned', 'Withdrawn', 'InstalledNotCommissioned']);
    for (const type of DEVICE_TYPES) {
      for (const from of INVENTORY_STATUSES) {
        for (const to of inventoryTransitions(from)) {
          const allowed = userSettableStatuses(type).includes(to);
          const run = () => assertInventoryTransition(type, from, to, 'supplier');
          if (allowed) assert.doesNotThrow(run, `${type} ${from} -> ${to}`);
          else assert.throws(run, isE5, `${type} ${from} -> ${to} should be E5 for a User`);
        }
      }
    }
  });

  it('refuses moves outside the table with E5, whoever asks', () => {
    const forbidden: Array<[DeviceType, InventoryStatus, InventoryStatus]> = [
      ['ESME', 'Decommissioned', 'Commissioned'],
      ['ESME', 'Pending', 'Commissioned'],
      ['CHF', 'Withdrawn', 'Commissioned'],
      ['GSME', 'Suspended', 'Recovery'],
      ['ESME', 'Recovered', 'Pending'],
      ['CHF', 'Decommissioned', 'Withdrawn'],
    ];
    for (const [type, from, to] of forbidden) {
      assert.throws(() => assertInventoryTransition(type, from, to, 'dcc'), isE5);
      assert.throws(() => assertInventoryTransition(type, from, to, 'supplier'), isE5);
    }
  });

  it('enters a new device as Pending unless the DCC says otherwise', () => {
    assert.doesNotThrow(() => assertInventoryTransition('ESME', null, 'Pending', 'meter_asset_provider'));
    assert.throws(() => assertInventoryTransition('ESME', null, 'Commissioned', 'supplier'), isE5);
    assert.doesNotThrow(() => assertInventoryTransition('ESME', null, 'Commissioned', 'dcc'));
  });
});

describe('physical asset status', () => {
  it('allows every move in the table', () => {
    for (const from of ASSET_STATUSES) for (const to of assetTransitions(from)) assert.doesNotThrow(() => assertAssetTransition(from, to));
  });
  it('refuses a sample of forbidden moves, naming what is allowed', () => {
    assert.throws(
      () => assertAssetTransition('scrapped', 'in_stock'),
      (e: unknown) => isE5(e) && /scrapped is final/.test((e as Error).message),
    );
    assert.throws(
      () => assertAssetTransition('in_field', 'in_stock'),
      (e: unknown) => isE5(e) && /allowed: removed, lost_or_stolen/.test((e as Error).message),
    );
    for (const [from, to] of [
      ['in_stock', 'no_fault_found'],
      ['installed', 'refurbished'],
      ['in_triage', 'installed'],
      ['faulty', 'in_stock'],
      ['lost_or_stolen', 'in_field'],
    ] as const) {
      assert.throws(() => assertAssetTransition(from, to), isE5);
    }
  });
  it('starts a device in stock, in the field or installed only', () => {
    assert.doesNotThrow(() => assertAssetTransition(null, 'in_stock'));
    assert.throws(() => assertAssetTransition(null, 'refurbished'), isE5);
  });
  it('reaches every status from in_stock', () => {
    const seen = new Set<string>(['in_stock']);
    const queue = ['in_stock' as const as (typeof ASSET_STATUSES)[number]];
    while (queue.length) {
      for (const n of assetTransitions(queue.shift()!)) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    assert.deepEqual([...seen].sort(), [...ASSET_STATUSES].sort());
  });
});
