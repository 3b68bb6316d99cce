import {
  AegisPayError,
  GatewayTransportError,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type Clock,
  type PaymentGateway,
} from '@aegispay/domain';
import { BulkheadRejectedError, CircuitBreakerOpenError, type TimeoutPolicy, type EnhancedCircuitBreaker } from '@aegispay/resilience';

/** What one guarded gateway charge produced. */
export type GatewayCallOutcome =
  /** The gateway answered (any outcome, including a technical failure or `UNKNOWN`). */
  | { readonly kind: 'ANSWERED'; readonly result: ChargeResult; readonly latencyMs: number }
  /** The request certainly never reached the gateway (breaker open, bulkhead full, or an error marked retry-safe). */
  | { readonly kind: 'NOT_SENT'; readonly code: string; readonly reason: string; readonly latencyMs: number }
  /** The call failed in a way that may have reached the gateway (timeout, dropped connection, unknown error). */
  | { readonly kind: 'MAYBE_SENT'; readonly code: string; readonly reason: string; readonly latencyMs: number; readonly error: unknown };

/**
 * Calls `gateway.charge` through its breaker and a deadline, and says what happened in terms that
 * decide whether failing over is safe.
 *
 * An error thrown by a gateway adapter is treated as "maybe sent" unless it is a refusal of our
 * own policies (breaker, bulkhead) or a `GatewayTransportError` whose `mayHaveBeenSent` is false —
 * the port's contract for adapters that know the request never left (connection refused, chaos
 * injections before the call, a malformed request caught locally).
 */
export async function chargeThroughBreaker(
  gateway: PaymentGateway,
  breaker: EnhancedCircuitBreaker,
  deadline: TimeoutPolicy,
  request: ChargeRequest,
  clock: Clock,
  signal?: AbortSignal,
): Promise<GatewayCallOutcome> {
  const started = clock.now();
  try {
    const result = await breaker.execute(
      (context) => deadline.execute((inner) => gateway.charge(request, inner.signal), context.signal),
      signal,
    );
    return { kind: 'ANSWERED', result, latencyMs: clock.now() - started };
  } catch (error) {
    const latencyMs = clock.now() - started;
    if (CircuitBreakerOpenError.is(error) || BulkheadRejectedError.is(error)) {
      return { kind: 'NOT_SENT', code: error.code, reason: error.message, latencyMs };
    }
    if (GatewayTransportError.is(error) && !error.mayHaveBeenSent) {
      return { kind: 'NOT_SENT', code: errorCode(error), reason: errorMessage(error), latencyMs };
    }
    return { kind: 'MAYBE_SENT', code: errorCode(error), reason: errorMessage(error), latencyMs, error };
  }
}

/**
 * Asks `gateway` what became of the charge `query` names, up to `attempts` times while it answers `PENDING` or
 * cannot answer (`UNKNOWN`, an error, a timeout), waiting `intervalMs` between calls. Returns the
 * last answer.
 *
 * A `NOT_FOUND` is final only after `conclusiveAfter` (the request's deadline plus the allowed
 * clock skew): until then — that millisecond included, since the gateway contract only forbids
 * acting on a request *after* its deadline — the request may still be in transit and be charged
 * when it arrives. An early `NOT_FOUND` is therefore checked once more after waiting until then.
 *
 * Status checks bypass the breaker on purpose: they are how a payment learns the truth, and they
 * are few.
 */
export async function resolveChargeStatus(
  gateway: PaymentGateway,
  query: ChargeStatusQuery,
  options: {
    readonly attempts: number;
    readonly intervalMs: number;
    readonly deadline: TimeoutPolicy;
    readonly clock: Clock;
    /** Epoch ms after which a `NOT_FOUND` is conclusive. Defaults to at once. */
    readonly conclusiveAfter?: number;
  },
  signal?: AbortSignal,
): Promise<ChargeStatusResult> {
  const ask = async (): Promise<ChargeStatusResult> => {
    try {
      return await options.deadline.execute((inner) => gateway.getStatus(query, inner.signal), signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { status: 'UNKNOWN', reason: `status check failed: ${errorMessage(error)}` };
    }
  };
  let last: ChargeStatusResult = { status: 'UNKNOWN', reason: 'no status check was made' };
  for (let check = 1; check <= options.attempts; check += 1) {
    if (check > 1) await options.clock.sleep(options.intervalMs, signal);
    last = await ask();
    if (last.status === 'NOT_FOUND') {
      if (options.conclusiveAfter === undefined) return last;
      const wait = options.conclusiveAfter - options.clock.now();
      if (wait < 0) return last;
      await options.clock.sleep(wait + 1, signal);
      last = await ask();
      if (last.status === 'NOT_FOUND') return last;
    }
    if (last.status !== 'PENDING' && last.status !== 'UNKNOWN') return last;
  }
  return last;
}

/** A short, stable code for an error: its AegisPay code, else its name. */
export function errorCode(error: unknown): string {
  if (AegisPayError.is(error)) return error.code;
  if (error instanceof Error) return error.name === 'Error' ? 'GATEWAY_ERROR' : error.name;
  return 'GATEWAY_ERROR';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
