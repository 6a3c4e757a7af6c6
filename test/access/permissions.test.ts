// The permission table and the party roles, against what issue 12 asks for, quoted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  can,
  checkUserRoles,
  parsePersonRoles,
  platformRoleFor,
  requirePermission,
  ForbiddenError,
  ValidationError,
  PERMISSIONS,
  PERSON_ROLES,
  type PersonRole,
  type Principal,
} from '../../src/domain/index.ts';

const as = (...roles: PersonRole[]): Principal => ({ kind: 'user', id: 'u1', person: 'pat', partyId: 'p', roles });

describe('the permission table', () => {
  it('"only approvers release held requests"', () => {
    const holders = PERSON_ROLES.filter((r) => can(as(r), 'requests.release'));
    assert.deepEqual(holders, ['approver']);
  });

  it('"only field engineers pull work orders" (and push what they carried back)', () => {
    assert.deepEqual(
      PERSON_ROLES.filter((r) => can(as(r), 'work_orders.pull')),
      ['field_engineer'],
    );
    assert.deepEqual(
      PERSON_ROLES.filter((r) => can(as(r), 'work_orders.push')),
      ['field_engineer'],
    );
  });

  it('"auditors read only": an auditor holds nothing that changes data', () => {
    const changing = PERMISSIONS.filter((p) => p !== 'read' && !p.endsWith('.read'));
    for (const p of changing) assert.equal(can(as('auditor'), p), false, p);
    assert.equal(can(as('auditor'), 'read'), true);
    assert.equal(can(as('auditor'), 'audit.read'), true);
  });

  it('keeps administration and operation apart, and roles add up', () => {
    assert.equal(can(as('administrator'), 'operate'), false);
    assert.equal(can(as('operator'), 'users.manage'), false);
    assert.equal(can(as('operator', 'approver'), 'requests.release'), true);
    assert.equal(can(as(), 'read'), false, 'no role, no permission');
  });

  it('refuses with the permission and the roles that hold it', () => {
    assert.throws(
      () => requirePermission(as('operator'), 'requests.release'),
      (e) => e instanceof ForbiddenError && e.rule === 'permission-requests-release' && /pat \(operator\) may not requests\.release: it needs the role approver/.test(e.message),
    );
  });

  it('refuses an unknown person role, naming it', () => {
    assert.throws(
      () => parsePersonRoles(['operator', 'superuser']),
      (e) => e instanceof ValidationError && e.field === 'roles' && e.rule === 'person-role' && /"superuser"/.test(e.message),
    );
    assert.throws(
      () => parsePersonRoles([]),
      (e) => e instanceof ValidationError && e.rule === 'person-role',
    );
    assert.deepEqual(parsePersonRoles(['approver', 'approver', 'auditor']), ['approver', 'auditor']);
  });
});

describe('DCC User roles', () => {
  it('map onto the platform roles that scope access', () => {
    assert.equal(platformRoleFor(['import_supplier']), 'supplier');
    assert.equal(platformRoleFor(['export_supplier']), 'supplier');
    assert.equal(platformRoleFor(['gas_supplier', 'import_supplier']), 'supplier');
    assert.equal(platformRoleFor(['network_operator']), 'network_operator');
    assert.equal(platformRoleFor(['dcc']), 'dcc');
    assert.equal(platformRoleFor(['ssc']), 'security_sub_committee');
    assert.equal(platformRoleFor(['other_user']), 'meter_asset_provider');
    assert.equal(platformRoleFor(['other_user'], 'triage_house'), 'meter_asset_provider');
    assert.equal(platformRoleFor(['other_user'], 'gas_transporter'), 'gas_transporter');
    assert.equal(platformRoleFor(['registered_supplier_agent']), 'meter_asset_provider');
  });

  it('refuse an unknown role, a Network Operator without a region, a bad region, a region for anyone else', () => {
    assert.throws(
      () => checkUserRoles(['import_supplier', 'landlord'], null),
      (e) => e instanceof ValidationError && e.field === 'roles' && /"landlord"/.test(e.message),
    );
    assert.throws(
      () => checkUserRoles([], null),
      (e) => e instanceof ValidationError && e.rule === 'user-role',
    );
    assert.throws(
      () => checkUserRoles(['network_operator'], null),
      (e) => e instanceof ValidationError && e.field === 'distributorId' && e.rule === 'network-operator-region',
    );
    assert.throws(
      () => checkUserRoles(['network_operator'], 9),
      (e) => e instanceof ValidationError && e.field === 'distributorId' && e.rule === 'known-distributor-id',
    );
    assert.throws(
      () => checkUserRoles(['network_operator'], 100),
      (e) => e instanceof ValidationError && e.rule === 'known-distributor-id',
    );
    assert.throws(
      () => checkUserRoles(['import_supplier'], 12),
      (e) => e instanceof ValidationError && e.rule === 'network-operator-region',
    );
    assert.throws(
      () => checkUserRoles(['dcc', 'import_supplier'], null),
      (e) => e instanceof ValidationError && e.rule === 'user-role',
    );
    // London is distributor 12 (the MPAN core's first two digits: Elexon's Market Domain Data).
    assert.deepEqual(checkUserRoles(['network_operator'], 12), { roles: ['network_operator'], distributorId: 12 });
  });
});
