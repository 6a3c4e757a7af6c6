import { ForbiddenError, ValidationError, type Party, type Principal, type WorkOrder } from '../domain/index.ts';
import type { StoreTx } from '../store/ports.ts';
import { fetchPage, type Page, type PageRequest } from './cursor-page.ts';
import type { ServiceDeps } from './deps.ts';
import { audit } from './audit.ts';

const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,99}$/;
/** Names in one list filter: the HHT asks for two (`me,none`); more is a probe, not a need. */
const FILTER_NAMES = 10;

/** An assignee as given: a username (any case, trimmed). NUL bytes or lone surrogates fail the pattern. */
export function parseAssignee(s: unknown, field = 'assignee'): string {
  const u = typeof s === 'string' ? s.trim().toLowerCase() : '';
  if (!USERNAME.test(u)) throw new ValidationError(field, 'assignee-username', `${field}: a person's username (2 to 100 letters, digits, dots, dashes, underscores or @)`);
  return u;
}

/** The assignee must be an active person of the Supplier who holds the field_engineer role. */
export async function checkAssignee(tx: StoreTx, actor: Party, username: string): Promise<string> {
  const user = await tx.users.byUsername(username);
  // Another party's person answers exactly as a missing one.
  if (!user || user.partyId !== actor.id) throw new ValidationError('assignee', 'assignee-person', `no person ${username} among ${actor.id}'s people`);
  if (user.status !== 'active') throw new ValidationError('assignee', 'assignee-active', `${username} is ${user.status}: a work order goes to an active person`);
  if (!user.roles.includes('field_engineer'))
    throw new ValidationError('assignee', 'assignee-field-engineer', `${username} (${user.roles.join(', ')}) is not a field engineer: only a field_engineer carries a work order`);
  return username;
}

/**
 * The `assignee` list filter as usernames, null for the unassigned: `me` is the signed-in person
 * (an API key or the command line is no person, so names the engineer), `none` the unassigned.
 */
export function assigneeFilter(raw: string, principal: Principal | undefined): Array<string | null> {
  const names = raw.split(',').map((s) => s.trim());
  if (names.length > FILTER_NAMES) throw new ValidationError('assignee', 'assignee-filter', `assignee: at most ${FILTER_NAMES} names, comma-separated`);
  return names.map((n) => {
    if (n === 'none') return null;
    if (n !== 'me') return parseAssignee(n);
    if (principal?.kind !== 'user') throw new ValidationError('assignee', 'assignee-me', 'assignee=me is the signed-in person; an API key or the command line names the engineer');
    return principal.person;
  });
}

/**
 * Who may pull: an order assigned to one person is theirs alone among people; an unassigned one
 * any field engineer's, and the first person to pull it becomes its assignee, so two engineers do
 * not drive to the same premise. A system's API key (an HHT fleet's, as `meterops hht pull` uses)
 * acts for the party and pulls any of its orders, recorded under the key's name.
 */
export async function claimForPull(tx: StoreTx, actor: Party, o: WorkOrder, principal: Principal | undefined, now: Date): Promise<void> {
  if (principal?.kind !== 'user') return;
  if (o.assignedTo === principal.person) return;
  if (o.assignedTo)
    throw new ForbiddenError('order-assignee', `work order ${o.id} is assigned to ${o.assignedTo}; an operator reassigns it (POST /v1/work-orders/${o.id}/assignment)`, 'orderId');
  await tx.workOrders.assign(o.id, { assignedTo: principal.person, assignedAt: now, assignedBy: principal.person });
  await audit(tx, now, actor.id, 'work_order.assigned', `work-order/${o.id}`, { assignee: principal.person, previous: null, by: principal.person, claimedByPull: true });
}

/**
 * Whom an order may be assigned to: the party's active people with field_engineer, by username
 * and name only. An operator reads it (the people list itself needs users.read, which operators
 * do not hold: this shows no roles, status or sign-in detail).
 */
export async function listFieldEngineers(deps: ServiceDeps, actor: Party, q: PageRequest = {}): Promise<Page<{ username: string; name: string }>> {
  const page = await fetchPage(
    q,
    (after, limit) => deps.store.read.users.page({ partyId: actor.id, role: 'field_engineer', status: 'active', ...(after ? { after } : {}), limit }),
    (u) => u.id,
  );
  return { items: page.items.map((u) => ({ username: u.username, name: u.name })), next: page.next };
}
