import { formatRequestId } from './request-id.ts';
import type { DuisResponse } from './duis-response.ts';
import { readDccResponse, type DccIdentity } from './duis-client.ts';
import { DuisError } from './duis-error.ts';

/** What the receive endpoint answers: 204 when the document was valid and is kept, 400 otherwise. */
export type ReceiveOutcome = { readonly status: 204; readonly response: DuisResponse } | { readonly status: 400; readonly error: DuisError };

/**
 * The User's receive endpoint for asynchronous responses and device alerts: each is checked as the
 * client checks a synchronous answer (schema, DSP signature) and matched to its request by
 * RequestID; a caller waiting for that RequestID gets it. Responses nobody waits for yet are kept
 * for a while, since the DCC may answer before the caller starts waiting.
 */
export class DuisReceiver {
  readonly #waiting = new Map<string, (r: DuisResponse) => void>();
  readonly #early = new Map<string, DuisResponse>();
  /** A meterops default: how many unclaimed responses are kept before the oldest is dropped. */
  static readonly KEPT = 1000;

  constructor(
    readonly dcc: DccIdentity,
    readonly onResponse: (r: DuisResponse) => void | Promise<void> = () => undefined,
  ) {}

  async receive(xml: string): Promise<ReceiveOutcome> {
    let response: DuisResponse;
    try {
      response = await readDccResponse(xml, this.dcc);
    } catch (e) {
      if (e instanceof DuisError) return { status: 400, error: e };
      throw e;
    }
    await this.onResponse(response);
    if (response.requestId) {
      const key = formatRequestId(response.requestId);
      const waiter = this.#waiting.get(key);
      if (waiter) {
        this.#waiting.delete(key);
        waiter(response);
      } else {
        if (this.#early.size >= DuisReceiver.KEPT) this.#early.delete(this.#early.keys().next().value!);
        this.#early.set(key, response);
      }
    }
    return { status: 204, response };
  }

  /** The asynchronous response to a request, or a timeout error. */
  awaitResponse(requestId: DuisResponse['requestId'] & object, timeoutMs = 30_000): Promise<DuisResponse> {
    const key = formatRequestId(requestId);
    const early = this.#early.get(key);
    if (early) {
      this.#early.delete(key);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(key);
        reject(new Error(`no DUIS response for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(key, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });
  }
}
