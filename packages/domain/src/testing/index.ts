export { deferred, type Deferred } from './deferred';
export { FakeClock } from './fake-clock';
export { SeededRandom } from './seeded-random';
export { SequentialIdGenerator } from './sequential-id-generator';
export { aPaymentRequest, aPendingPayment, aPaidPayment, testPaymentDependencies } from './payment.fixtures';
export {
  TEST_CARD_NUMBERS,
  disguisedCardNumberTexts,
  disguisedCardNumberValues,
  printedGroups,
  randomUuid,
  withCheckDigit,
  type DisguisedCardNumber,
} from './card-number.corpus';
export type { PaymentGatewayContractFactory, PaymentGatewayContractSubject } from './payment-gateway.contract-subject';
export { paymentGatewayContract, type PaymentGatewayContractOptions } from './payment-gateway.contract';
export { FaultInjectingGateway, type FaultInjectingGatewayOptions } from './fault-injecting.gateway';
