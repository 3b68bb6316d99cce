import { VirtualClock, type ChargeResult } from '@aegispay/domain';
import { CircuitBreakerManager, CircuitBreakerOpenError, RetryExhaustedError, RetryPolicy, timeout, wrap } from '@aegispay/resilience';

export async function main(): Promise<{ first: string; second: string; healthy: string[]; opens: string[] }> {
  // Virtual time so the example's backoffs take no real time; production code leaves `clock` out (SystemClock).
  const clock = new VirtualClock({ autoAdvance: true });
  const breakers = new CircuitBreakerManager({ clock, gateways: ['STRIPE', 'ADYEN'], failureThreshold: 3, openTimeout: 60_000 });
  const opens: string[] = [];
  breakers.onOpen((event) => opens.push(`${event.gateway} opened: ${event.reason}`));

  // STRIPE is down: it answers with technical failures, as values rather than exceptions.
  const chargeStripe = async (_signal?: AbortSignal): Promise<ChargeResult> => ({
    outcome: 'TECHNICAL_FAILURE',
    errorCode: 'HTTP_503',
    retryable: true,
  });

  // Retry around the breaker around a 5 s timeout per attempt.
  const policy = wrap(
    new RetryPolicy<ChargeResult>({
      clock,
      maxRetries: 2,
      shouldRetry: (error) => !CircuitBreakerOpenError.is(error),
      shouldRetryResult: (result) => result.outcome === 'TECHNICAL_FAILURE' && result.retryable,
    }),
    breakers.getBreaker('STRIPE'),
    timeout(5_000, { clock }),
  );
  const pay = (): Promise<string> =>
    policy.execute(({ signal }) => chargeStripe(signal)).then(
      (result) => result.outcome,
      (error: unknown) => {
        if (RetryExhaustedError.is(error)) return `gave up after ${error.attempts} attempts`;
        if (CircuitBreakerOpenError.is(error)) return `failed fast, retry in ${error.health.timeUntilRetry} ms`;
        throw error;
      },
    );

  const first = await pay(); // three technical failures: the breaker opens on the third
  const second = await pay(); // refused at once, STRIPE is not called
  return { first, second, healthy: breakers.getHealthyGateways(), opens };
}
