import type { PaymentEvent } from '@aegispay/domain';

import type { ErrorContext, RoutingContext } from '../context/hook-context';
import { checkHookContext } from '../context/hook-invocation.builder';
import { HookConfigurationError } from '../errors/hook.errors';
import type { MetricSample } from '../hooks/metrics-collector.hook';
import { isPlainObject } from './hook-result.guards';

/**
 * What each stage of the `HookExecutor` accepts from its caller, beyond the common context
 * (`checkHookContext`). Each check throws `HookConfigurationError` `HOOK.INVALID_CONTEXT` naming
 * the malformed field: the caller's mistake, found before any hook runs.
 */

/** A routing context: a hook context whose `availableGateways` is an array of gateway names. */
export function checkRoutingContext(context: RoutingContext): RoutingContext {
  checkHookContext(context);
  const available = context.availableGateways as unknown;
  if (!Array.isArray(available) || !available.every((gateway) => typeof gateway === 'string')) {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'availableGateways', 'context.availableGateways must be an array of gateway names.');
  }
  return context;
}

/** An event to deliver: a domain event with a `type`. */
export function checkEvent(event: PaymentEvent): void {
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'event', 'event must be a domain event { id, type, aggregateId, … }.');
  }
}

/** An error handlers' context: the error, the attempt number, the previous attempts. */
export function checkErrorContext(context: ErrorContext): void {
  checkHookContext(context);
  if (typeof context.error !== 'object' || context.error === null) {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'error', 'context.error must be the Error being handled.');
  }
  if (!Number.isInteger(context.attemptNumber) || context.attemptNumber < 1) {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'attemptNumber', 'context.attemptNumber must be an integer from 1.');
  }
  if (!Array.isArray(context.previousAttempts)) {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'previousAttempts', 'context.previousAttempts must be an array ([] for none).');
  }
}

/** Metric samples: `{ name, value, unit?, tags }` each. */
export function checkMetrics(metrics: readonly MetricSample[]): void {
  if (!Array.isArray(metrics)) {
    throw new HookConfigurationError('HOOK.INVALID_CONTEXT', 'metrics', 'metrics must be an array of { name, value, tags } samples.');
  }
  metrics.forEach((sample: unknown, index) => {
    const ok =
      isPlainObject(sample) &&
      typeof sample['name'] === 'string' &&
      sample['name'].length > 0 &&
      typeof sample['value'] === 'number' &&
      Number.isFinite(sample['value']) &&
      (sample['unit'] === undefined || typeof sample['unit'] === 'string') &&
      isPlainObject(sample['tags']) &&
      Object.values(sample['tags']).every((tag) => typeof tag === 'string');
    if (!ok) {
      throw new HookConfigurationError(
        'HOOK.INVALID_CONTEXT',
        `metrics.${index}`,
        `metrics[${index}] must be { name: non-empty string, value: finite number, unit?: string, tags: { [key]: string } }.`,
      );
    }
  });
}
