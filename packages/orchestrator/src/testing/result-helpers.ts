import type { PaymentResult, StoredPaymentResult } from '../payment/payment-result';

/** `result` when it is about a stored payment (any outcome but `IN_PROGRESS`); throws otherwise, naming what it got. */
export function storedOf(result: PaymentResult): StoredPaymentResult {
  if (result.outcome === 'IN_PROGRESS') throw new Error(`expected an answer about a stored payment, got IN_PROGRESS (${result.reason})`);
  return result;
}

/** The id of the payment `result` is about (see {@link storedOf}). */
export function paymentIdOf(result: PaymentResult): string {
  return storedOf(result).paymentId;
}
