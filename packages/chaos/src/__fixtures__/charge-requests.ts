import { Money, type ChargeRequest } from '@aegispay/domain';

/** A charge request of 10.00 EUR with reference `ref`. */
export function aChargeRequest(reference: string): ChargeRequest {
  return {
    reference,
    paymentId: `pay_${reference}`,
    merchantId: 'merchant_1',
    amount: Money.of(1000, 'EUR'),
    paymentMethod: { type: 'CARD', token: 'tok_visa_4242' },
  };
}

/** Settles `promise` into a value: the result, or the thrown error. */
export async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
