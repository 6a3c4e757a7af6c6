import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { NotFoundError, UnauthorizedError, ValidationError } from '../domain/index.ts';
import type { IdentityProviderConfig } from '../store/ports.ts';
import { requireInScope, type Acting } from './acting.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './deps.ts';
import { openSession, type SignedIn } from './sign-in.ts';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
/** How long a sign-in at the identity provider may take (a meterops default). */
const LOGIN_MINUTES = 10;

const isLoopback = (u: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);

/** The issuer: HTTPS, or plain HTTP on this machine only (a provider for development or tests). */
function issuerUrl(s: string): URL {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ValidationError('issuer', 'issuer-url', `issuer "${s}" is not a URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u)))
    throw new ValidationError('issuer', 'issuer-url', 'the issuer is an https URL (http only on localhost)');
  return u;
}

async function discover(c: IdentityProviderConfig): Promise<oidc.Configuration> {
  const issuer = issuerUrl(c.issuer);
  try {
    // client_secret_basic: the default of OpenID Connect Dynamic Client Registration 1.0 (token_endpoint_auth_method).
    return await oidc.discovery(
      issuer,
      c.clientId,
      undefined,
      oidc.ClientSecretBasic(c.clientSecret),
      issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
    );
  } catch (e) {
    throw new ValidationError('issuer', 'issuer-discovery', `the identity provider ${c.issuer} did not answer its discovery document: ${(e as Error).message}`);
  }
}

/** Sets a party's OpenID Connect identity provider (its administrators, or the platform's); checked by discovery first. */
export async function configureIdentityProvider(deps: ServiceDeps, acting: Acting, partyId: string, c: { issuer: string; clientId: string; clientSecret: string }): Promise<void> {
  requireInScope(acting, 'users.manage', partyId, 'party', partyId, 'id');
  if (!c.clientId || c.clientId.length > 200) throw new ValidationError('clientId', 'client-id', 'the client id is 1 to 200 characters');
  if (!c.clientSecret || c.clientSecret.length > 500) throw new ValidationError('clientSecret', 'client-secret', 'the client secret is 1 to 500 characters');
  const config = { partyId, issuer: issuerUrl(c.issuer).href.replace(/\/$/, ''), clientId: c.clientId, clientSecret: c.clientSecret };
  await discover(config);
  const now = deps.clock();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.parties.get(partyId))) throw new NotFoundError('party', partyId, 'id');
    await tx.identityProviders.upsert(config, now);
    await audit(tx, now, acting.party.id, 'identity_provider.configured', `party/${partyId}`, { issuer: config.issuer, clientId: config.clientId, by: acting.principal.person });
  });
}

/** Starts a sign-in at the party's identity provider: where to send the browser (code flow, PKCE, state, nonce). */
export async function startOidcSignIn(deps: ServiceDeps, partyId: string, callbackUrl: string): Promise<URL> {
  // Normalised (no default port), as the token request will name it again from the callback.
  const redirectUri = new URL(callbackUrl).href;
  const c = await deps.store.read.identityProviders.get(partyId);
  if (!c) throw new NotFoundError('identity provider of party', partyId, 'partyId');
  const config = await discover(c);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const now = deps.clock();
  await deps.store.transaction((tx) =>
    tx.identityProviders.insertLogin({
      stateHash: sha256(state),
      partyId,
      codeVerifier,
      nonce,
      redirectUri,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_MINUTES * 60_000),
      usedAt: null,
    }),
  );
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
}

/**
 * Finishes it: the state is used once; the code is exchanged (PKCE) and the ID token checked
 * (issuer, audience, nonce, signature); its subject must be a person of that party.
 */
export async function finishOidcSignIn(deps: ServiceDeps, query: URLSearchParams, source: string): Promise<SignedIn> {
  const state = query.get('state');
  if (!state) throw new ValidationError('state', 'required', 'the callback carries the state the sign-in began with');
  const now = deps.clock();
  const login = await deps.store.transaction(async (tx) => {
    const l = await tx.identityProviders.loginForUpdate(sha256(state));
    if (!l) return { error: new UnauthorizedError('this sign-in was not begun here') };
    if (l.usedAt) return { error: new UnauthorizedError('this sign-in was finished already') };
    if (l.expiresAt.getTime() <= now.getTime()) return { error: new UnauthorizedError('this sign-in took too long: begin again') };
    await tx.identityProviders.markLoginUsed(l.stateHash, now);
    return { login: l };
  });
  if ('error' in login) throw login.error;
  const l = login.login;
  const c = await deps.store.read.identityProviders.get(l.partyId);
  if (!c) throw new UnauthorizedError(`party ${l.partyId} has no identity provider now`);
  const config = await discover(c);
  const callback = new URL(l.redirectUri);
  callback.search = query.toString();
  let subject: string;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: l.codeVerifier, expectedState: state, expectedNonce: l.nonce, idTokenExpected: true });
    subject = tokens.claims()!.sub;
  } catch (e) {
    const detail = (e as { error_description?: string; error?: string }).error_description ?? (e as { error?: string }).error;
    throw new UnauthorizedError(`the identity provider's answer does not check out: ${(e as Error).message}${detail ? ` (${detail})` : ''}`);
  }
  return deps.store.transaction(async (tx) => {
    const u = await tx.users.byOidcSubject(l.partyId, subject);
    if (!u) throw new UnauthorizedError(`no person of party ${l.partyId} signs in as ${subject} at its identity provider`);
    if (u.status !== 'active') throw new UnauthorizedError(`user ${u.username} is disabled`);
    const party = await tx.parties.record(u.partyId);
    if (party?.status !== 'active') throw new UnauthorizedError(`party ${u.partyId} is suspended`);
    return openSession(tx, u, now, { source, method: 'oidc' });
  });
}
