import type { FinalPaymentResult } from '../payment/payment-result';

const FINAL_OUTCOMES: ReadonlySet<unknown> = new Set(['SUCCEEDED', 'DECLINED', 'FAILED', 'REJECTED']);

/**
 * True when `value`, read back from the idempotency store, is a final payment answer this
 * orchestrator stored (checked by its shape: a record with a final outcome, a payment id and the payment).
 */
export function isStoredAnswer(value: unknown): value is FinalPaymentResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const answer = value as { readonly outcome?: unknown; readonly paymentId?: unknown; readonly payment?: unknown };
  return FINAL_OUTCOMES.has(answer.outcome) && typeof answer.paymentId === 'string' && typeof answer.payment === 'object' && answer.payment !== null;
}
