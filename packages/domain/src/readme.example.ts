import { Money, Payment, RefundExceedsCapturedError, SystemClock, CryptoIdGenerator } from '@aegispay/domain';

export async function main(): Promise<{ status: string; refunded: string; events: string[]; refused: string }> {
  const payment = Payment.create(
    {
      merchantId: 'merchant_42',
      amount: 15000, // minor units: 150.00 EUR
      currency: 'EUR',
      paymentMethod: { type: 'CARD', token: 'tok_visa_4242' }, // a vault token, never a card number
      metadata: { country: 'DE' },
    },
    { clock: new SystemClock(), ids: new CryptoIdGenerator() },
  );

  payment.startProcessing();
  payment.recordAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, outcome: 'APPROVED', latencyMs: 120, gatewayReference: 'ch_1' });
  payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
  payment.refund({ amount: Money.of(5000, 'EUR').amount, reason: 'one item returned' });

  let refused = '';
  try {
    payment.refund({ amount: 10001 }); // more than the 100.00 EUR still refundable
  } catch (error) {
    if (RefundExceedsCapturedError.is(error)) refused = error.code;
  }

  return {
    status: payment.status, // PARTIALLY_REFUNDED
    refunded: payment.refundedAmount.toString(), // "50.00 EUR"
    events: payment.pullEvents().map((event) => event.type), // stored in the outbox by the repository
    refused, // "PAYMENT.REFUND_EXCEEDS_CAPTURED"
  };
}
