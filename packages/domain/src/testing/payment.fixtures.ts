import type { CreatePaymentInput } from '../payment/payment-input';
import { Payment } from '../payment/payment.aggregate';
import type { PaymentDependencies } from '../payment/payment-dependencies';
import { FakeClock } from './fake-clock';
import { SequentialIdGenerator } from './sequential-id-generator';

/** A valid payment request: 150.00 EUR by card token from merchant `merchant_1`. Override any field. */
export function aPaymentRequest(overrides: Partial<CreatePaymentInput> = {}): CreatePaymentInput {
  return {
    merchantId: 'merchant_1',
    amount: 15000,
    currency: 'EUR',
    paymentMethod: { type: 'CARD', token: 'tok_visa_4242' },
    customerId: 'customer_1',
    description: 'Order 1001',
    metadata: { country: 'DE', region: 'EU' },
    ...overrides,
  };
}

/** Test dependencies: a {@link FakeClock} and a {@link SequentialIdGenerator}. */
export function testPaymentDependencies(): PaymentDependencies & { clock: FakeClock; ids: SequentialIdGenerator } {
  return { clock: new FakeClock(), ids: new SequentialIdGenerator() };
}

/** A `PENDING` payment built from {@link aPaymentRequest}. */
export function aPendingPayment(
  overrides: Partial<CreatePaymentInput> = {},
  deps: PaymentDependencies = testPaymentDependencies(),
): Payment {
  return Payment.create(aPaymentRequest(overrides), deps);
}

/** A `PAID` payment captured by `gateway` (default `STRIPE`), events already pulled. */
export function aPaidPayment(
  overrides: Partial<CreatePaymentInput> = {},
  deps: PaymentDependencies = testPaymentDependencies(),
  gateway = 'STRIPE',
): Payment {
  const payment = aPendingPayment(overrides, deps);
  payment.startProcessing();
  payment.recordAttempt({ gateway, reference: `${payment.id}:1`, outcome: 'APPROVED', latencyMs: 120, gatewayReference: 'ch_1' });
  payment.markSucceeded({ gateway, gatewayReference: 'ch_1' });
  payment.pullEvents();
  return payment;
}
