import { Money, type ChargeRequest, type RefundRequest } from '@aegispay/domain';

/**
 * A valid charge: 150.00 EUR by card token for payment `pay_1` of merchant `merchant_1`, reference
 * `pay_1:1` (payment and attempt). Override any field.
 */
export function aChargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    reference: 'pay_1:1',
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    amount: Money.of(15000, 'EUR'),
    paymentMethod: { type: 'CARD', token: 'tok_visa_4242' },
    customerId: 'customer_1',
    ...overrides,
  };
}

/** A refund of 50.00 EUR of the approved charge `chargeReference` of payment `pay_1`, reference `refund_1`. Override any field. */
export function aRefundRequest(chargeReference: string, overrides: Partial<RefundRequest> = {}): RefundRequest {
  return {
    reference: 'refund_1',
    chargeReference,
    paymentId: 'pay_1',
    amount: Money.of(5000, 'EUR'),
    ...overrides,
  };
}
