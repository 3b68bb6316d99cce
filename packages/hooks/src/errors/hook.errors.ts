import { AegisPayError, OptionChecks, ValidationError, type ErrorDetails } from '@aegispay/domain';

import type { FailureKind, HookType } from '../hooks/hook';

/**
 * A hook definition, a hook's registration options or a context handed to the executor was
 * malformed. `field` names the offending value.
 *
 * Codes: `HOOK.INVALID_DEFINITION` (a hook object or its registration), `HOOK.INVALID_CONTEXT`
 * (a context passed to an `execute*` method). An invalid option of the executor or of a built-in
 * check is the domain's `InvalidOptionError` with `HOOK.INVALID_OPTION`.
 */
export class HookConfigurationError extends ValidationError {}

/** The option checks of a hooks class: `InvalidOptionError` with `HOOK.INVALID_OPTION`, naming `owner`. */
export function hookOptionChecks(owner: string): OptionChecks {
  return new OptionChecks('HOOK.INVALID_OPTION', owner);
}

/** A hook with this name is already registered (`HOOK.DUPLICATE_NAME`). Names are unique across all eight types. */
export class DuplicateHookError extends AegisPayError {
  constructor(
    readonly hookName: string,
    readonly existingType: HookType,
  ) {
    super(
      'HOOK.DUPLICATE_NAME',
      `A hook named "${hookName}" is already registered (as ${existingType}). ` +
        'Hook names are unique across the registry: unregister the existing hook first or choose another name.',
      { details: { hookName, existingType } },
    );
  }
}

/** No hook with this name is registered (`HOOK.NOT_FOUND`). */
export class HookNotFoundError extends AegisPayError {
  constructor(readonly hookName: string) {
    super('HOOK.NOT_FOUND', `No hook named "${hookName}" is registered; registry.list() shows the registered names.`, {
      details: { hookName },
    });
  }
}

/**
 * The reason a hook's `AbortSignal` carries when the hook ran out of time (`HOOK.TIMEOUT`).
 * Hooks that pass the signal on (to `fetch`, to a client) stop their work when it fires.
 */
export class HookTimeoutError extends AegisPayError {
  constructor(
    readonly hookName: string,
    readonly timeoutMs: number,
  ) {
    super('HOOK.TIMEOUT', `Hook "${hookName}" did not finish within ${timeoutMs} ms.`, {
      details: { hookName, timeoutMs },
    });
  }
}

/**
 * A fail-closed hook of a stage that has no refusal in its result (enrichment, routing, error
 * handling, events, metrics) threw, timed out or returned an invalid result (`HOOK.FAILED`).
 *
 * The message and details name the hook and a reason only; the hook's own error is never
 * attached (it may carry internals) and goes to the executor's `onHookFailure` reporter instead.
 */
export class HookFailedError extends AegisPayError {
  constructor(
    readonly hookName: string,
    readonly hookType: HookType,
    readonly kind: FailureKind,
    readonly reason: string,
    details: ErrorDetails = {},
  ) {
    super('HOOK.FAILED', `Hook "${hookName}" (${hookType}) failed: ${reason}.`, {
      details: { ...details, hookName, hookType, kind, reason },
    });
  }
}
