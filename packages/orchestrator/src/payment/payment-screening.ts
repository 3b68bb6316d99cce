import type { Clock, MetadataValue, Payment } from '@aegispay/domain';
import type { HookExecutor } from '@aegispay/hooks';
import { hookContextOf, type CallSession } from '../support/call-session';
import type { RejectionCode } from './payment-result';

/** What the screening hooks decided about a payment. */
export type ScreeningVerdict =
  | { readonly kind: 'PASS' }
  | { readonly kind: 'REJECT'; readonly code: RejectionCode; readonly reason: string };

const PASS: ScreeningVerdict = Object.freeze({ kind: 'PASS' });

/**
 * The hooks a payment passes before any gateway: pre-validation (refusal → `VALIDATION_FAILED`),
 * enrichment (merged into the payment's metadata, while it is still `PENDING`), fraud checks
 * (refusal → `FRAUD_REJECTED`, naming the check). They run on the payment before it is stored, so
 * a refused payment is stored once, already `FAILED`.
 */
export async function screenPayment(hooks: HookExecutor | undefined, payment: Payment, session: CallSession, clock: Clock): Promise<ScreeningVerdict> {
  if (hooks === undefined) return PASS;
  const validation = await hooks.executePreValidation(hookContextOf(payment, session, clock));
  if (!validation.valid) {
    const reason = validation.errors.map((error) => `${error.hook}: ${error.message}`).join('; ') || 'pre-validation failed';
    return { kind: 'REJECT', code: 'VALIDATION_FAILED', reason };
  }
  const enrichment: Readonly<Record<string, MetadataValue>> = (await hooks.executeEnrichment(hookContextOf(payment, session, clock))).added;
  if (Object.keys(enrichment).length > 0) payment.enrichMetadata(enrichment);
  const fraud = await hooks.executeFraudChecks(hookContextOf(payment, session, clock));
  if (!fraud.allowed) {
    return { kind: 'REJECT', code: 'FRAUD_REJECTED', reason: `${fraud.deniedBy ?? 'fraud checks'}: ${fraud.reason ?? 'payment refused'} (risk ${fraud.riskScore.toFixed(2)})` };
  }
  return PASS;
}
