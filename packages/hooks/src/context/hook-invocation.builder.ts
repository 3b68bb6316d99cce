import type { PaymentSnapshot } from '@aegispay/domain';

import { HookConfigurationError } from '../errors/hook.errors';
import type { HookContext, HookInvocation, HookPayment } from './hook-context';

/**
 * Prepares what hooks will see of `context`: the payment as a deep-frozen snapshot and frozen
 * copies of metadata and other plain data, built once per `execute*` call. The returned function
 * makes one invocation per hook, each with its own `signal` and `timestamp` (a `Date` is
 * mutable: one hook must not be able to move another's clock).
 *
 * `error` (error handlers) is passed as is: it is the orchestrator's error, not payment data.
 *
 * @throws HookConfigurationError `HOOK.INVALID_CONTEXT` when the context is malformed.
 */
export function prepareInvocation<C extends HookContext>(
  context: C,
  preparedPayment?: PaymentSnapshot,
): (signal: AbortSignal) => HookInvocation<C> {
  checkHookContext(context);
  // Taken now, synchronously: a caller that goes on changing the payment while the hooks run
  // (an event emitted without awaiting) must not change what they see.
  const base = freezeRest(context, preparedPayment ?? snapshotOf(context.payment));
  const time = context.timestamp.getTime();
  return (signal) => Object.freeze({ ...base, timestamp: new Date(time), signal }) as unknown as HookInvocation<C>;
}

function freezeRest(context: HookContext, payment: PaymentSnapshot): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (key === 'payment' || key === 'timestamp' || key === 'signal') continue;
    setOwn(rest, key, key === 'error' ? value : freezeCopy(value));
  }
  rest['payment'] = payment;
  return rest;
}

/** The deep-frozen snapshot of a `Payment` (through `toSnapshot()`) or a frozen copy of a snapshot. */
export function snapshotOf(payment: HookPayment): PaymentSnapshot {
  const candidate = payment as Partial<{ toSnapshot: () => PaymentSnapshot }>;
  if (typeof candidate.toSnapshot === 'function') return candidate.toSnapshot();
  return freezeCopy(payment as PaymentSnapshot);
}

/**
 * A deep copy of plain objects and arrays, frozen at every level. Other values (dates, errors,
 * class instances, functions) are kept as they are: they are not data a hook could be trusted to
 * copy faithfully, and the payment and metadata never contain them.
 */
export function freezeCopy<T>(value: T, seen: Map<object, unknown> = new Map()): T {
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(freezeCopy(item as unknown, seen));
    return Object.freeze(copy) as T;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) setOwn(copy, key, freezeCopy(item as unknown, seen));
  return Object.freeze(copy) as T;
}

/**
 * Sets an own, enumerable property. Plain assignment of a key named `__proto__` (which
 * `JSON.parse` can produce) would replace the prototype instead.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** @throws HookConfigurationError `HOOK.INVALID_CONTEXT` when `context` lacks payment, timestamp, requestId or metadata. */
export function checkHookContext(context: HookContext): void {
  if (typeof context !== 'object' || context === null) {
    throw invalid('', 'A hook context must be an object { payment, timestamp, requestId, metadata }.');
  }
  if (typeof context.payment !== 'object' || context.payment === null) {
    throw invalid('payment', 'context.payment must be a Payment or a PaymentSnapshot.');
  }
  if (!(context.timestamp instanceof Date) || Number.isNaN(context.timestamp.getTime())) {
    throw invalid('timestamp', 'context.timestamp must be a valid Date (take it from your Clock).');
  }
  if (typeof context.requestId !== 'string') {
    throw invalid('requestId', 'context.requestId must be a string.');
  }
  if (typeof context.metadata !== 'object' || context.metadata === null || Array.isArray(context.metadata)) {
    throw invalid('metadata', 'context.metadata must be an object (use {} when there is none).');
  }
}

function invalid(field: string, message: string): HookConfigurationError {
  return new HookConfigurationError('HOOK.INVALID_CONTEXT', field, message);
}
