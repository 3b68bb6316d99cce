import { SeededRandom } from '@aegispay/domain/testing';

/**
 * A fault the stub applies to an API call (`/payments` or `/refunds`, a replay included).
 * - `error`: an HTTP error answer. By default a 503 with errorCode 703 and `Transient-Error: true`,
 *   answered before anything happens (Adyen's documented "no side effects" error). With
 *   `processed: true` the call is carried out and the error is stored as its idempotency key's
 *   final answer, as Adyen documents for a message that may have reached the issuer
 *   (IOEXCEPTION_RECEIVED).
 * - `lose-answer`: the call is carried out and committed, then the connection is dropped before
 *   any answer.
 * - `slow`: the call stays in flight `ms` before it is carried out (a second call with its
 *   idempotency key meanwhile gets error 704).
 */
export type AdyenStubFault =
  | { readonly kind: 'error'; readonly status?: 429 | 500 | 502 | 503 | 504; readonly transient?: boolean; readonly processed?: boolean }
  | { readonly kind: 'lose-answer' }
  | { readonly kind: 'slow'; readonly ms: number };

/** Probabilities (0–1) of a fault on each API call, drawn from a seeded generator. */
export interface AdyenStubFaultRates {
  /** A transient 503 (see {@link AdyenStubFault}). */
  readonly error?: number;
  /** A 429. */
  readonly rateLimited?: number;
  /** The answer lost after the call was carried out. */
  readonly lostAnswer?: number;
  /** A slow call of `slowMs`. */
  readonly slow?: number;
  /** Defaults to 200 ms. */
  readonly slowMs?: number;
}

/** The faults waiting for the next calls, and the rates of random ones. */
export class StubFaults {
  readonly #queue: AdyenStubFault[] = [];
  #rates: AdyenStubFaultRates = {};
  #random: SeededRandom;

  constructor(seed: number) {
    this.#random = new SeededRandom(seed);
  }

  /** Applies `fault` to the next call that has no fault queued before it. */
  inject(fault: AdyenStubFault): void {
    this.#queue.push(checkFault(fault));
  }

  /** Sets the rates of random faults (replacing earlier ones), drawn from `seed` when given. */
  setRates(rates: AdyenStubFaultRates, seed?: number): void {
    for (const [name, value] of Object.entries(rates)) {
      const limit = name === 'slowMs' ? Number.MAX_SAFE_INTEGER : 1;
      if (typeof value !== 'number' || !(value >= 0 && value <= limit)) throw new RangeError(`fault rate ${name} must be a number between 0 and ${limit}`);
    }
    this.#rates = { ...rates };
    if (seed !== undefined) this.#random = new SeededRandom(seed);
  }

  /** Forgets queued faults and rates. */
  clear(): void {
    this.#queue.length = 0;
    this.#rates = {};
  }

  /** The fault of the call arriving now, if any. */
  next(): AdyenStubFault | undefined {
    const queued = this.#queue.shift();
    if (queued !== undefined) return queued;
    const { error = 0, rateLimited = 0, lostAnswer = 0, slow = 0, slowMs = 200 } = this.#rates;
    if (error + rateLimited + lostAnswer + slow === 0) return undefined;
    const draw = this.#random.next();
    if (draw < error) return { kind: 'error' };
    if (draw < error + rateLimited) return { kind: 'error', status: 429 };
    if (draw < error + rateLimited + lostAnswer) return { kind: 'lose-answer' };
    if (draw < error + rateLimited + lostAnswer + slow) return { kind: 'slow', ms: slowMs };
    return undefined;
  }
}

const ERROR_STATUSES = new Set([429, 500, 502, 503, 504]);

function checkFault(fault: AdyenStubFault): AdyenStubFault {
  if (fault.kind === 'error' && fault.status !== undefined && !ERROR_STATUSES.has(fault.status)) throw new RangeError('an error fault has status 429, 500, 502, 503 or 504');
  if (fault.kind === 'slow' && !(fault.ms >= 0)) throw new RangeError('a slow fault needs ms >= 0');
  if (fault.kind !== 'error' && fault.kind !== 'lose-answer' && fault.kind !== 'slow') throw new RangeError('a fault is of kind error, lose-answer or slow');
  return fault;
}

/** The HTTP answer of an error fault: Adyen's error JSON, with the `Transient-Error` header when transient. */
export function faultAnswer(fault: Extract<AdyenStubFault, { kind: 'error' }>): { status: number; body: Record<string, unknown>; transient: boolean } {
  const status = fault.status ?? 503;
  const transient = fault.transient ?? (status === 503 && fault.processed !== true);
  const known: Record<number, [string, string]> = {
    429: ['000', 'Too many requests: the API rate limit was exceeded'],
    500: ['000', 'An internal error occurred; the message may have been received by the issuer'],
    502: ['000', 'Bad gateway'],
    503: ['703', 'required resource temporarily unavailable'],
    504: ['000', 'Gateway timeout'],
  };
  const [errorCode, message] = known[status] ?? ['000', 'Error'];
  return { status, body: { status, errorCode, message, errorType: 'internal' }, transient };
}
