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
 * up, the hook's signal aborts with a `HookTimeoutError` and the hook is given up on: a late
 * answer is ignored, and a late rejection goes to `onLateFailure` (with the timeout failure
 * already returned, its reason saying it rejected late) rather than becoming an unhandled
 * rejection or vanishing.
 */
export async function runHook<T>(
  registration: HookRegistration,
  clock: Clock,
  timeoutMs: number,
  invoke: (signal: AbortSignal) => Awaitable<T>,
  onLateFailure: (failure: HookFailure, error: unknown) => void,
): Promise<HookRun<T>> {
  const controller = new AbortController();
  const started = clock.now();
  let timer: TimerHandle | undefined;
  let givenUp: HookRunFailure | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = clock.setTimer(timeoutMs, () => {
      const reason = new HookTimeoutError(registration.name, timeoutMs);
      givenUp = failed(registration, 'TIMEOUT', `timed out after ${timeoutMs} ms`, clock.now() - started, reason);
      // Settle first: a hook that rejects from its abort listener must still count as a timeout.
      resolve(TIMED_OUT);
      controller.abort(reason);
    });
  });
  const work = Promise.resolve().then(() => invoke(controller.signal));
  // Handled from the start, so a rejection never goes unhandled. Once the hook was given up on, a
  // rejection with its own error (not merely the abort reason handed back) is reported.
  work.catch((error: unknown) => {
    if (givenUp !== undefined && error !== givenUp.error) {
      onLateFailure({ ...givenUp.failure, reason: `${givenUp.failure.reason}, then rejected (${errorReason(error)})` }, error);
    }
  });
  try {
    const winner = await Promise.race([work, timedOut]);
    if (winner !== TIMED_OUT) return { ok: true, value: winner };
    return givenUp ?? failed(registration, 'TIMEOUT', `timed out after ${timeoutMs} ms`, clock.now() - started, controller.signal.reason);
  } catch (error) {
    if (givenUp !== undefined) return { ...givenUp, error };
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

type HookRunFailure = Extract<HookRun<never>, { ok: false }>;

function failed(registration: HookRegistration, kind: FailureKind, reason: string, durationMs: number, error: unknown): HookRunFailure {
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
