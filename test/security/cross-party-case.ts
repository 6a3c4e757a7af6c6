// The shape of one cross-party case: an operation of /openapi.json, the request that a rightful
// party makes of it, who the rightful parties are and why. The loop (cross-party.test.ts) sends
// the request as every other demo party (refused, nothing written), then as the rightful ones
// (accepted).
import type { LightMyRequestResponse } from 'fastify';
import type { Permission } from '../../src/domain/index.ts';
import type { World } from './cross-party-world.ts';

export interface Attempt {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly payload?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Prepared {
  /** The request, the same for every party unless it must differ (an idempotency key, a new id). */
  readonly request: Attempt | ((partyId: string) => Attempt);
  /** The parties whose request is rightful, the one the loop makes first. */
  readonly rightful: readonly string[];
  /** Why these parties and no others (the relation, and whose rule it is). */
  readonly rule: string;
  /**
   * True (the default for changes; reads are made by all) when the act can be done once: only the first
   * rightful party's request is made; the others are left out of the refusal loop too.
   */
  readonly once?: boolean;
  /** A refusal other than 403 / 404, where the act is the caller's own (see the case). */
  readonly refused?: (r: LightMyRequestResponse) => boolean;
  /** What an acceptance is, where a 2xx alone does not say (a batch with a result per row). */
  readonly accepted?: (r: LightMyRequestResponse) => boolean;
  /** Runs after the rightful request: keeps what the next case needs. */
  readonly after?: (r: LightMyRequestResponse, w: World) => void | Promise<void>;
}

export interface Case {
  /** `METHOD /path` exactly as /openapi.json names it. */
  readonly op: string;
  /** Which of several cases of one operation this is. */
  readonly variant?: string;
  /** The permission a person needs (docs/access.md): a key without it is refused 403. */
  readonly permission: Permission;
  prepare(w: World): Promise<Prepared>;
}

/** Operations no party acts through on another's behalf, and why they are outside the loop. */
export interface Exempt {
  readonly op: string;
  readonly why: string;
}
