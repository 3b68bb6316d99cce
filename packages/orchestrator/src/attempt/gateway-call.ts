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

/** What one guarded gateway call produced. */
export type GatewayCallOutcome<R = ChargeResult> =
  /** The gateway answered (any outcome, including a technical failure or `UNKNOWN`). */
  | { readonly kind: 'ANSWERED'; readonly result: R; readonly latencyMs: number }
  /** The request certainly never reached the gateway (breaker open, bulkhead full, a transport error that was not sent). */
  | { readonly kind: 'NOT_SENT'; readonly code: string; readonly reason: string; readonly latencyMs: number }
  /** The call failed in a way that may have reached the gateway (timeout, dropped connection, any other error). */
  | { readonly kind: 'MAYBE_SENT'; readonly code: string; readonly reason: string; readonly latencyMs: number; readonly error: unknown };

/**
 * Makes one gateway call (`call`: a charge, a refund) through the gateway's breaker and a deadline,
 * and says what happened in terms that decide whether trying again elsewhere is safe.
 *
 * An error thrown by a gateway adapter is treated as "maybe sent" unless it is a refusal of our
 * own policies (breaker, bulkhead) or a `GatewayTransportError` whose `mayHaveBeenSent` is false —
 * the port's contract for adapters that know the request never left (connection refused, chaos
 * injections before the call, a malformed request caught locally).
 */
export async function callThroughBreaker<R>(
  call: (signal: AbortSignal | undefined) => Promise<R>,
  guard: { readonly breaker: EnhancedCircuitBreaker; readonly deadline: TimeoutPolicy; readonly clock: Clock },
  signal?: AbortSignal,
): Promise<GatewayCallOutcome<R>> {
  const { breaker, deadline, clock } = guard;
  const started = clock.now();
  try {
    const result = await breaker.execute((context) => deadline.execute((inner) => call(inner.signal), context.signal), signal);
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

/** {@link callThroughBreaker} for a charge. */
export function chargeThroughBreaker(
  gateway: PaymentGateway,
  breaker: EnhancedCircuitBreaker,
  deadline: TimeoutPolicy,
  request: ChargeRequest,
  clock: Clock,
  signal?: AbortSignal,
): Promise<GatewayCallOutcome> {
  return callThroughBreaker((inner) => gateway.charge(request, inner), { breaker, deadline, clock }, signal);
}

/** How {@link resolveStatus} asks. */
export interface StatusResolution {
  /** Lookups made while the gateway answers `PENDING` or cannot answer. */
  readonly attempts: number;
  /** Wait before each lookup after the first. */
  readonly intervalMs: number;
  /** Deadline of each lookup. */
  readonly deadline: TimeoutPolicy;
  readonly clock: Clock;
  /** Epoch ms after which a `NOT_FOUND` is conclusive. Defaults to at once. */
  readonly conclusiveAfter?: number;
}

/**
 * Asks a gateway what became of a request (`lookup`: a charge's or a refund's status), up to
 * `attempts` times while it answers `PENDING` or cannot answer (`UNKNOWN`, an error, a timeout),
 * waiting `intervalMs` between calls. Returns the last answer.
 *
 * A `NOT_FOUND` is final only after `conclusiveAfter` (the request's deadline plus the allowed
 * clock skew): until then — that millisecond included, since the gateway contract only forbids
 * acting on a request *after* its deadline — the request may still be in transit and take effect
 * when it arrives. An early `NOT_FOUND` is therefore checked once more after waiting until then.
 *
 * Lookups bypass the breaker on purpose: they are how a payment learns the truth, and they are few.
 */
export async function resolveStatus<S extends { readonly status: string }>(
  lookup: (signal: AbortSignal | undefined) => Promise<S>,
  options: StatusResolution,
  signal?: AbortSignal,
): Promise<S | { readonly status: 'UNKNOWN'; readonly reason: string }> {
  const ask = async (): Promise<S | { readonly status: 'UNKNOWN'; readonly reason: string }> => {
    try {
      return await options.deadline.execute((inner) => lookup(inner.signal), signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { status: 'UNKNOWN', reason: `status check failed: ${errorMessage(error)}` };
    }
  };
  let last: S | { readonly status: 'UNKNOWN'; readonly reason: string } = { status: 'UNKNOWN', reason: 'no status check was made' };
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

/** {@link resolveStatus} of a charge, at the gateway that was sent it. */
export function resolveChargeStatus(gateway: PaymentGateway, query: ChargeStatusQuery, options: StatusResolution, signal?: AbortSignal): Promise<ChargeStatusResult> {
  return resolveStatus((inner) => gateway.getStatus(query, inner), options, signal);
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
