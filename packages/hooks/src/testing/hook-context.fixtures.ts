import { DEFAULT_VIRTUAL_EPOCH } from '@aegispay/domain';
import { aPendingPayment } from '@aegispay/domain/testing';

import type { ErrorContext, HookContext, RoutingContext } from '../context/hook-context';

/**
 * A context for a `PENDING` 150.00 EUR payment (`aPendingPayment()`), timestamped at the fake
 * clock's epoch, request `req_1`, no metadata. Override any field.
 */
export function aHookContext(overrides: Partial<HookContext> = {}): HookContext {
  return {
    payment: aPendingPayment(),
    timestamp: new Date(DEFAULT_VIRTUAL_EPOCH),
    requestId: 'req_1',
    metadata: {},
    ...overrides,
  };
}

/** {@link aHookContext} with `availableGateways` STRIPE, ADYEN and PAYPAL. */
export function aRoutingContext(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return { ...aHookContext(), availableGateways: ['STRIPE', 'ADYEN', 'PAYPAL'], ...overrides };
}

/** {@link aHookContext} for a first attempt that failed with `Error('Gateway timed out')`. */
export function anErrorContext(overrides: Partial<ErrorContext> = {}): ErrorContext {
  return { ...aHookContext(), error: new Error('Gateway timed out'), attemptNumber: 1, previousAttempts: [], ...overrides };
}
