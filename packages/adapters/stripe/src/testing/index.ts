// The Stripe stub
export { startStripeStub, STRIPE_STUB_DEFAULTS, type StripeStub, type StripeStubOptions } from './stub/stripe-stub';
export type { StripeStubControl, StubEvent, StubLedgerEntry } from './stub/stub-control';
export { connectStripeStub, StubControlError, type StripeStubConnection } from './stub/stub-control.http';
export { startStripeStubProcess, type StripeStubProcess, type StripeStubProcessOptions } from './stub/stripe-stub.process';
export { STUB_OPERATIONS, type FaultScope, type StubFault, type StubOperation } from './stub/stub-faults';
export { STRIPE_TEST_PAYMENT_METHODS, type TestPaymentMethod, type TestPaymentMethodOutcome } from './stub/test-payment-methods';
export { stripeSignatureHeader, type WebhookTarget } from './stub/webhook-sender';
export { IDEMPOTENCY_KEY_TTL_MS, STUB_DEFAULT_API_VERSION } from './stub/stub-api';
export type { StubObject } from './stub/stub-objects';
export { createStripeContractSubject, type StripeContractSubjectOptions } from './stripe-contract-subject';
