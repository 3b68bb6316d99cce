import { AegisPayError, type Clock, type TimerHandle } from '@aegispay/domain';

import { HookTimeoutError } from '../errors/hook.errors';
import { DEFAULT_FAILURE_POLICIES, type Awaitable, type FailureKind, type FailurePolicy } from '../hooks/hook';
import type { HookRegistration } from '../registry/hook-type-map';
import type { HookFailure } from './hook-outcomes';

/** How one hook call ended. */
export type HookRun<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: HookFailure; readonly error: unknown };

const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Runs one hook under its timeout and turns whatever it does into a value: its answer, or a
 * failure naming the hook. Never rejects.
 *
 * The timer comes from `clock`, so tests move a fake clock instead of waiting. When the time is
 * up, the hook's signal aborts with a `HookTimeoutError` and the hook is given up on; what it
 * does afterwards (resolving or rejecting late) is ignored.
 */
export async function runHook<T>(
  registration: HookRegistration,
  clock: Clock,
  timeoutMs: number,
  invoke: (signal: AbortSignal) => Awaitable<T>,
): Promise<HookRun<T>> {
  const controller = new AbortController();
  const started = clock.now();
  let timer: TimerHandle | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = clock.setTimer(timeoutMs, () => {
      // Settle first: a hook that rejects from its abort listener must still count as a timeout.
      resolve(TIMED_OUT);
      controller.abort(new HookTimeoutError(registration.name, timeoutMs));
    });
  });
  try {
    const work = Promise.resolve().then(() => invoke(controller.signal));
    // A hook given up on may still reject later; that must not become an unhandled rejection.
    work.catch(() => undefined);
    const winner = await Promise.race([work, timedOut]);
    if (winner === TIMED_OUT) {
      return failed(registration, 'TIMEOUT', `timed out after ${timeoutMs} ms`, clock.now() - started, controller.signal.reason);
    }
    return { ok: true, value: winner };
  } catch (error) {
    if (controller.signal.aborted) {
      return failed(registration, 'TIMEOUT', `timed out after ${timeoutMs} ms`, clock.now() - started, error);
    }
    return failed(registration, 'ERROR', errorReason(error), clock.now() - started, error);
  } finally {
    timer?.cancel();
  }
}

/** A failure for a hook whose answer broke its contract (`returned an invalid result: …`). */
export function invalidResult(registration: HookRegistration, problem: string, durationMs = 0): HookRun<never> {
  return failed(registration, 'INVALID_RESULT', `returned an invalid result: ${problem}`, durationMs, undefined);
}

/** The policy in force for a registration: its own, else its type's default. */
export function policyOf(registration: HookRegistration): FailurePolicy {
  return registration.failurePolicy ?? DEFAULT_FAILURE_POLICIES[registration.type];
}

function failed(registration: HookRegistration, kind: FailureKind, reason: string, durationMs: number, error: unknown): HookRun<never> {
  const failure: HookFailure = Object.freeze({
    hook: registration.name,
    hookType: registration.type,
    kind,
    reason,
    policy: policyOf(registration),
    durationMs,
  });
  return { ok: false, failure, error };
}

// Only a stable AegisPay code is echoed: messages of arbitrary errors may carry internals.
function errorReason(error: unknown): string {
  return AegisPayError.is(error) ? `threw an error (${error.code})` : 'threw an error';
}
