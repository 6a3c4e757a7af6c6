import type { Eui } from '../domain/eui.ts';
import { DuisError } from './duis-error.ts';
import type { RequestId } from './request-id.ts';

/**
 * The receiving side's check that each originator's RequestID counter strictly increases (DUIS: a
 * counter is never reused), so a replayed request is refused. It holds the high-water marks in
 * memory, for one receiver's lifetime; the platform's own sending counter must live in the store.
 */
export class CounterGuard {
  readonly #last = new Map<Eui, bigint>();

  /** Accepts the request's counter, or refuses it if not above the last one seen from its originator. */
  accept(id: RequestId): void {
    const last = this.#last.get(id.originator);
    if (last !== undefined && id.counter <= last)
      throw new DuisError('counter-replayed', `counter ${id.counter} from ${id.originator} is not above its last, ${last}: a replayed or reused RequestID`, { field: 'RequestID' });
    this.#last.set(id.originator, id.counter);
  }
}
