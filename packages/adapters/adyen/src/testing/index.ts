// The Adyen stub
export { startAdyenStub, ADYEN_STUB_DEFAULTS, type AdyenStub, type AdyenStubHold, type AdyenStubOptions } from './stub/adyen-stub';
export { AdyenStubControlClient, type AdyenStubControl, type AdyenStubLedgerView } from './stub/stub-control';
export type { AdyenStubFault, AdyenStubFaultRates } from './stub/stub-faults';
export type { StubNotificationRecord, StubPayment, StubRefund } from './stub/stub-ledger';
export { adyenItemSignature, signedAdyenWebhook, type StubDelivery, type UnsignedNotificationItem } from './stub/stub-notifications';
export { ADYEN_TEST_HOLDER_NAMES, STUB_ACTION_HOLDER_NAMES, STUB_TEST_STORED_METHODS, type StubDecision } from './stub/stub-test-methods';
export { startAdyenStubProcess, type AdyenStubProcess, type AdyenStubProcessOptions } from './stub/adyen-stub.process';

// The gateway contract over the stub
export { createAdyenContractSubject } from './adyen-contract-subject';
