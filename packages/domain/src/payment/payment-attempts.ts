import { isLiveAttempt, type BeginAttemptInput, type GatewayAttempt, type RecordAttemptInput, type SettleAttemptInput } from './payment-attempt';
import type { PaymentSnapshot } from './payment-snapshot';
import { InvalidPaymentError } from './payment.errors';

type Changed = { readonly attempts: readonly GatewayAttempt[]; readonly attempt: GatewayAttempt };

/**
 * The attempt bookkeeping of one payment: numbering, the one-live-attempt rule, settling. Pure: it
 * returns new frozen attempts and never touches the payment.
 */
export class PaymentAttempts {
  constructor(private readonly payment: Pick<PaymentSnapshot, 'id' | 'attempts'>) {}

  /** A new `IN_FLIGHT` attempt (see `Payment.beginAttempt`). */
  begin(input: BeginAttemptInput, at: string): Changed {
    return this.add({ ...input, outcome: 'IN_FLIGHT', latencyMs: 0 }, at);
  }

  /** A finished attempt (see `Payment.recordAttempt`). */
  record(input: RecordAttemptInput, at: string): Changed {
    return this.add(input, at);
  }

  /** The live attempt `reference` settled (see `Payment.settleAttempt`). */
  settle(reference: string, input: SettleAttemptInput, at: string): Changed {
    const { id, attempts } = this.payment;
    const index = attempts.findIndex((attempt) => attempt.reference === reference);
    const current = attempts[index];
    if (current === undefined) {
      throw new InvalidPaymentError('PAYMENT.UNKNOWN_ATTEMPT', 'reference', `Payment ${id} has no attempt with reference ${reference}.`);
    }
    if (!isLiveAttempt(current)) {
      throw new InvalidPaymentError('PAYMENT.ATTEMPT_SETTLED', 'reference', `Attempt ${reference} of payment ${id} is ${current.outcome} already.`);
    }
    const attempt = attemptOf(current.attemptNumber, { ...input, gateway: current.gateway, reference, deadline: current.deadline }, at);
    const next = [...attempts];
    next[index] = attempt;
    return { attempts: Object.freeze(next), attempt };
  }

  private add(input: Omit<RecordAttemptInput, 'outcome'> & { readonly outcome: GatewayAttempt['outcome'] }, at: string): Changed {
    const { id, attempts } = this.payment;
    const live = attempts.find(isLiveAttempt);
    if (live !== undefined) {
      throw new InvalidPaymentError(
        'PAYMENT.ATTEMPT_LIVE',
        'attempts',
        `Payment ${id} may still be charged by attempt ${live.reference} at ${live.gateway} (${live.outcome}); no other attempt may start until it is settled.`,
      );
    }
    if (attempts.some((attempt) => attempt.reference === input.reference)) {
      throw new InvalidPaymentError('PAYMENT.DUPLICATE_REFERENCE', 'reference', `Payment ${id} already has an attempt with reference ${input.reference}.`);
    }
    const attempt = attemptOf(attempts.length + 1, input, at);
    return { attempts: Object.freeze([...attempts, attempt]), attempt };
  }
}

function attemptOf(
  attemptNumber: number,
  input: Omit<RecordAttemptInput, 'outcome' | 'deadline'> & { readonly outcome: GatewayAttempt['outcome']; readonly deadline?: number | null },
  at: string,
): GatewayAttempt {
  return Object.freeze({
    attemptNumber,
    gateway: input.gateway,
    reference: input.reference,
    outcome: input.outcome,
    gatewayReference: input.gatewayReference ?? null,
    declineCode: input.declineCode ?? null,
    declineType: input.declineType ?? null,
    errorCode: input.errorCode ?? null,
    latencyMs: input.latencyMs,
    deadline: input.deadline ?? null,
    at,
  });
}
