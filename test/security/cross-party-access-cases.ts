// Cross-party cases of the directory, people and keys (docs/access.md): the platform party manages
// parties; a party's people and keys are managed by its own administrators or the platform's.
import { cliActing } from '../../src/services/acting.ts';
import { issueApiKey } from '../../src/services/api-keys.ts';
import { registerParty, suspendParty } from '../../src/services/parties.ts';
import type { Case } from './cross-party-case.ts';

const PLATFORM = "only the platform's own (DCC) party manages the directory (docs/access.md; meterops' own rule)";
const OWN_OR_PLATFORM = "a party's own administrators, or the platform's (docs/access.md; meterops' own rule)";
const PASSWORD = 'a long enough password';

async function platform(w: Parameters<Case['prepare']>[0]) {
  return cliActing(await w.party('dcc'));
}

export const ACCESS_CASES: readonly Case[] = [
  {
    op: 'POST /v1/parties',
    permission: 'parties.manage',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/parties', payload: { id: 'xp-new-party', name: 'New Party', roles: ['other_user'] } },
      rightful: ['dcc'],
      rule: PLATFORM,
    }),
  },
  {
    op: 'PATCH /v1/parties/{id}',
    permission: 'parties.manage',
    prepare: async () => ({
      request: { method: 'PATCH', url: '/v1/parties/gt-a', payload: { name: 'Gas Transport plc (renamed)' } },
      rightful: ['dcc'],
      rule: PLATFORM,
    }),
  },
  {
    op: 'POST /v1/parties/{id}/suspend',
    permission: 'parties.manage',
    prepare: async (w) => {
      await registerParty(w.deps, await platform(w), { id: 'xp-to-suspend', name: 'To Suspend', roles: ['other_user'] });
      return { request: { method: 'POST', url: '/v1/parties/xp-to-suspend/suspend', payload: { reason: 'contract ended' } }, rightful: ['dcc'], rule: PLATFORM };
    },
  },
  {
    op: 'POST /v1/parties/{id}/reinstate',
    permission: 'parties.manage',
    prepare: async (w) => {
      await registerParty(w.deps, await platform(w), { id: 'xp-to-reinstate', name: 'To Reinstate', roles: ['other_user'] });
      await suspendParty(w.deps, await platform(w), 'xp-to-reinstate', 'paused');
      return { request: { method: 'POST', url: '/v1/parties/xp-to-reinstate/reinstate' }, rightful: ['dcc'], rule: PLATFORM };
    },
  },
  {
    op: 'PUT /v1/parties/{id}/identity-provider',
    permission: 'users.manage',
    prepare: async (w) => ({
      request: { method: 'PUT', url: '/v1/parties/supplier-a/identity-provider', payload: { issuer: w.ctx.get('issuer') as string, clientId: 'meterops', clientSecret: 's3cret' } },
      rightful: ['supplier-a', 'dcc'],
      rule: OWN_OR_PLATFORM,
    }),
  },
  {
    op: 'POST /v1/users',
    permission: 'users.manage',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/users', payload: { partyId: 'supplier-a', username: 'xp-carol', name: 'Carol', roles: ['auditor'], password: PASSWORD } },
      rightful: ['supplier-a', 'dcc'],
      rule: OWN_OR_PLATFORM,
    }),
  },
  {
    op: 'PATCH /v1/users/{id}',
    permission: 'users.manage',
    prepare: async () => ({
      request: { method: 'PATCH', url: '/v1/users/usr-demo-alice-supplier-a', payload: { name: 'Alice (renamed)' } },
      rightful: ['supplier-a', 'dcc'],
      rule: OWN_OR_PLATFORM,
    }),
  },
  {
    op: 'POST /v1/users/{id}/unlock',
    permission: 'users.manage',
    prepare: async () => ({ request: { method: 'POST', url: '/v1/users/usr-demo-alice-supplier-a/unlock' }, rightful: ['supplier-a', 'dcc'], rule: OWN_OR_PLATFORM }),
  },
  {
    op: 'POST /v1/users/{id}/password',
    permission: 'users.manage',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/users/usr-demo-bob-supplier-a/password', payload: { password: 'another long enough password' } },
      rightful: ['supplier-a', 'dcc'],
      rule: OWN_OR_PLATFORM,
    }),
  },
  {
    op: 'POST /v1/api-keys',
    permission: 'keys.manage',
    prepare: async () => ({
      request: { method: 'POST', url: '/v1/api-keys', payload: { partyId: 'supplier-a', name: 'xp-billing', roles: ['auditor'] } },
      rightful: ['supplier-a', 'dcc'],
      rule: OWN_OR_PLATFORM,
    }),
  },
  {
    op: 'POST /v1/api-keys/{id}/rotate',
    permission: 'keys.manage',
    prepare: async (w) => {
      const k = await issueApiKey(w.deps, await platform(w), { partyId: 'supplier-a', name: 'xp-to-rotate', roles: ['auditor'] });
      return { request: { method: 'POST', url: `/v1/api-keys/${k.key.id}/rotate`, payload: {} }, rightful: ['supplier-a', 'dcc'], rule: OWN_OR_PLATFORM };
    },
  },
  {
    op: 'POST /v1/api-keys/{id}/revoke',
    permission: 'keys.manage',
    prepare: async (w) => {
      const k = await issueApiKey(w.deps, await platform(w), { partyId: 'supplier-a', name: 'xp-to-revoke', roles: ['auditor'] });
      return { request: { method: 'POST', url: `/v1/api-keys/${k.key.id}/revoke`, payload: { reason: 'retired' } }, rightful: ['supplier-a', 'dcc'], rule: OWN_OR_PLATFORM };
    },
  },
];
