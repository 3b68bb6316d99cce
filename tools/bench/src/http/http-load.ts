/**
 * Load for the HTTP benchmarks: autocannon sending valid `POST /v1/payments` requests, each with
 * its own `Idempotency-Key`, at a fixed concurrency (closed loop: `connections` requests in flight),
 * and what came back: payments per second (2xx answers over the measured time), latency
 * percentiles, and every answer that was not a 2xx or never came.
 */
import autocannon from 'autocannon';
import { BENCH_API_KEY } from './http-servers';

/**
 * The body of payment `n`: a card the simulated acquirers always approve. Each payment comes from
 * its own customer with its own card, as from a large customer base: one customer paying thousands
 * of times a minute would be refused by the server's default velocity limits.
 */
export function paymentBody(n: number): string {
  return JSON.stringify({
    amount: 1999,
    currency: 'EUR',
    paymentMethod: { type: 'CARD', token: `tok_approve_visa_${n}` },
    customerId: `customer_bench_${n}`,
    description: 'HTTP benchmark',
    metadata: { orderId: 'order-bench', country: 'DE' },
  });
}

/** What one load run measured. */
export interface LoadResult {
  /** 2xx answers per second of the run. */
  readonly paymentsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Requests answered (any status). */
  readonly answered: number;
  /** Answers that were not 2xx. */
  readonly non2xx: number;
  /** Requests that got no answer: connection errors and timeouts. */
  readonly errors: number;
  /** Status codes seen other than 2xx, with counts (`{"409":3}`). */
  readonly statuses: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  /** Run for this many seconds… */
  readonly seconds?: number;
  /** …or until this many requests were sent. */
  readonly amount?: number;
  /** Prefix of the `Idempotency-Key`s (a counter follows), unique per run. */
  readonly keyPrefix: string;
  /** Seconds without an answer before a request counts as an error. Defaults to 30. */
  readonly timeoutSeconds?: number;
}

/** Sends payments to `${url}/v1/payments` as {@link LoadOptions} says, and resolves when done. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let sequence = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    timeout: options.timeoutSeconds ?? 30,
    ...(options.amount === undefined ? { duration: options.seconds ?? 5 } : { amount: options.amount }),
    requests: [
      {
        method: 'POST',
        path: '/v1/payments',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
        setupRequest: (request) => {
          sequence += 1;
          return { ...request, body: paymentBody(sequence), headers: { ...request.headers, 'idempotency-key': `${options.keyPrefix}-${sequence}` } };
        },
      },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) statuses[status] = stats.count ?? 0;
  }
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    paymentsPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    answered,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    seconds: result.duration,
  };
}
