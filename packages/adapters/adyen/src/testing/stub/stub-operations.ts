import { randomBytes } from 'node:crypto';
import type { StubLedger, StubPayment } from './stub-ledger';
import type { StubNotifier, UnsignedNotificationItem } from './stub-notifications';
import { STUB_TEST_STORED_METHODS, decisionFor, refusalText, type StubDecision } from './stub-test-methods';

/** What the stub needs to carry out an API call. */
export interface StubContext {
  readonly ledger: StubLedger;
  readonly notifier: StubNotifier;
  readonly merchantAccount: string;
  readonly now: () => number;
  /** The stub's own URL (redirect actions point back at it). */
  readonly url: () => string;
}

/** An HTTP answer of the stub. */
export interface StubAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Sends `Transient-Error: true`. */
  readonly transient?: boolean;
}

/** Adyen's error JSON: `status`, `errorCode`, `message`, `errorType` and, for payment calls, a `pspReference`. */
export function adyenError(status: number, errorCode: string, message: string, errorType: string, transient = false): StubAnswer {
  return { status, body: { status, errorCode, message, errorType, pspReference: newPspReference() }, ...(transient ? { transient } : {}) };
}

/** A new 16-character Adyen-like PSP reference. */
export function newPspReference(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return [...randomBytes(16)].map((byte) => alphabet[byte % 36]).join('');
}

/** An Adyen `eventDate`: ISO 8601 with a `+00:00` offset. */
export function eventDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

interface PaymentInput {
  readonly reference: string;
  readonly value: number;
  readonly currency: string;
  readonly shopperReference: string;
  readonly storedPaymentMethodId: string;
  readonly holderName: string;
  readonly metadata: Readonly<Record<string, string>>;
}

const object = (value: unknown): Record<string, unknown> | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

/** Checks a `/payments` body as Adyen does (error codes from its error-code list); the input, or the error answer. */
export function checkPayment(ctx: StubContext, body: Record<string, unknown>): PaymentInput | StubAnswer {
  if (body['merchantAccount'] !== ctx.merchantAccount) return adyenError(403, '901', 'Invalid Merchant Account', 'security');
  const reference = body['reference'];
  if (typeof reference !== 'string' || reference === '' || reference.length > 80) return adyenError(422, '130', 'Reference Missing', 'validation');
  const amount = checkAmount(body['amount']);
  if ('status' in amount) return amount;
  if (typeof body['returnUrl'] !== 'string' || body['returnUrl'] === '') return adyenError(422, '14_030', 'Return URL is missing.', 'validation');
  const metadata = object(body['metadata']) ?? {};
  if (Object.keys(metadata).length > 20) return adyenError(422, '177', 'Metadata size exceeds limit', 'validation');
  const storedPaymentMethodId = object(body['paymentMethod'])?.['storedPaymentMethodId'];
  if (typeof storedPaymentMethodId !== 'string') return adyenError(422, '000', 'paymentDetails not supplied', 'validation');
  const shopperReference = body['shopperReference'];
  if (typeof shopperReference !== 'string' || shopperReference.length < 3) return adyenError(422, '000', 'Recurring payments require a shopperReference', 'validation');
  const stored = ctx.ledger.storedMethod(storedPaymentMethodId);
  const holderName = STUB_TEST_STORED_METHODS[storedPaymentMethodId] ?? (stored?.shopperReference === shopperReference ? stored.holderName : undefined);
  if (holderName === undefined) return adyenError(422, '800', 'Contract not found', 'validation');
  const strings = Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, String(value)]));
  return { reference, ...amount, shopperReference, storedPaymentMethodId, holderName, metadata: strings };
}

function checkAmount(value: unknown): { value: number; currency: string } | StubAnswer {
  const amount = object(value);
  const minor = amount?.['value'];
  const currency = amount?.['currency'];
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor) || minor <= 0 || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return adyenError(422, '137', 'Invalid amount specified', 'validation');
  }
  return { value: minor, currency };
}

/** Makes the payment (call inside a ledger transaction) and answers what Adyen's test platform answers. */
export function makePayment(ctx: StubContext, input: PaymentInput, idempotencyKey: string | undefined): StubAnswer {
  const decision = decisionFor(input.holderName);
  const pspReference = newPspReference();
  const refusalReason = decision.refusalReasonCode === undefined ? null : refusalText(decision.refusalReasonCode);
  const payment: StubPayment = {
    pspReference,
    merchantReference: input.reference,
    idempotencyKey: idempotencyKey ?? null,
    amountValue: input.value,
    currency: input.currency,
    shopperReference: input.shopperReference,
    storedPaymentMethodId: input.storedPaymentMethodId,
    resultCode: decision.resultCode,
    refusalReason,
    metadata: input.metadata,
    createdAt: ctx.now(),
  };
  ctx.ledger.insertPayment(payment);
  if (isFinal(decision.resultCode)) ctx.notifier.enqueue(authorisation(ctx, payment));
  return { status: 200, body: paymentAnswer(ctx, payment, decision) };
}

function paymentAnswer(ctx: StubContext, payment: StubPayment, decision: StubDecision): Record<string, unknown> {
  const base = { pspReference: payment.pspReference, resultCode: decision.resultCode, merchantReference: payment.merchantReference };
  const amount = { value: payment.amountValue, currency: payment.currency };
  const token = Buffer.from(JSON.stringify({ pspReference: payment.pspReference })).toString('base64');
  switch (decision.resultCode) {
    case 'Authorised':
      return { ...base, amount, additionalData: { authCode: '044925', refusalReasonRaw: 'AUTHORISED' } };
    case 'Refused':
    case 'Error':
    case 'Cancelled':
      return { ...base, amount, refusalReason: payment.refusalReason, refusalReasonCode: decision.refusalReasonCode };
    case 'ChallengeShopper':
    case 'IdentifyShopper': {
      const subtype = decision.resultCode === 'ChallengeShopper' ? 'challenge' : 'fingerprint';
      return { ...base, action: { type: 'threeDS2', subtype, token, paymentData: token, authorisationToken: token, paymentMethodType: 'scheme' } };
    }
    case 'RedirectShopper':
      return { ...base, action: { type: 'redirect', url: `${ctx.url()}/__stub/redirect/${payment.pspReference}`, method: 'GET', paymentMethodType: 'scheme' } };
    default:
      return base;
  }
}

function isFinal(resultCode: string): boolean {
  return resultCode === 'Authorised' || resultCode === 'Refused' || resultCode === 'Error' || resultCode === 'Cancelled';
}

function authorisation(ctx: StubContext, payment: StubPayment): UnsignedNotificationItem {
  return {
    pspReference: payment.pspReference,
    merchantAccountCode: ctx.merchantAccount,
    merchantReference: payment.merchantReference,
    eventCode: 'AUTHORISATION',
    eventDate: eventDate(ctx.now()),
    success: payment.resultCode === 'Authorised' ? 'true' : 'false',
    reason: payment.refusalReason ?? '',
    amount: { value: payment.amountValue, currency: payment.currency },
    paymentMethod: 'visa',
    additionalData: Object.fromEntries(Object.entries(payment.metadata).map(([key, value]) => [`metadata.${key}`, value])),
  };
}

/**
 * Completes a payment that waited for the shopper or for the acquirer (Received, Pending, a 3-D
 * Secure action) and sends its AUTHORISATION webhook. The stored answer of its idempotency key is
 * the first answer and stays so, as on Adyen.
 */
export function resolvePayment(ctx: StubContext, pspReference: string, resultCode: 'Authorised' | 'Refused'): void {
  const payment = ctx.ledger.payment(pspReference);
  if (payment === undefined) throw new RangeError(`The Adyen stub has no payment ${pspReference}.`);
  if (isFinal(payment.resultCode)) throw new RangeError(`Payment ${pspReference} is already ${payment.resultCode}.`);
  const refusalReason = resultCode === 'Refused' ? refusalText('2') : null;
  ctx.ledger.updatePaymentResult(pspReference, resultCode, refusalReason);
  ctx.notifier.enqueue(authorisation(ctx, { ...payment, resultCode, refusalReason }));
}

interface RefundInput {
  readonly payment: StubPayment;
  readonly reference: string;
  readonly value: number;
  readonly currency: string;
}

/** Checks a `/payments/{pspReference}/refunds` call; the input, or the error answer. */
export function checkRefund(ctx: StubContext, paymentPspReference: string, body: Record<string, unknown>): RefundInput | StubAnswer {
  if (body['merchantAccount'] !== ctx.merchantAccount) return adyenError(403, '901', 'Invalid Merchant Account', 'security');
  const amount = checkAmount(body['amount']);
  if ('status' in amount) return amount;
  const payment = ctx.ledger.payment(paymentPspReference);
  if (payment === undefined) return adyenError(422, '167', 'Original pspReference required for this operation', 'validation');
  const reference = typeof body['reference'] === 'string' ? body['reference'] : '';
  return { payment, reference, ...amount };
}

/**
 * Receives a refund (call inside a ledger transaction): answered `received` at once, as Adyen
 * does; settled now in the ledger and reported by a REFUND webhook — success false with
 * Adyen's reason when the payment is not authorised, in another currency or has too little left.
 */
export function makeRefund(ctx: StubContext, input: RefundInput): StubAnswer {
  const { payment } = input;
  const pspReference = newPspReference();
  const left = payment.amountValue - ctx.ledger.refundedOn(payment.pspReference);
  const reason =
    payment.resultCode !== 'Authorised'
      ? 'Original transaction was not authorised'
      : input.currency !== payment.currency
        ? 'Modification in different currency than authorisation'
        : input.value > left
          ? 'Insufficient balance on payment'
          : null;
  const reversed = reason === null && decisionFor(holderOf(ctx, payment)).refundFails === true;
  ctx.ledger.insertRefund({
    pspReference,
    paymentPspReference: payment.pspReference,
    merchantReference: input.reference,
    amountValue: input.value,
    currency: input.currency,
    outcome: reason !== null ? 'FAILED' : reversed ? 'REVERSED' : 'REFUNDED',
    reason: reversed ? 'Refund failed' : reason,
    createdAt: ctx.now(),
  });
  const item = (eventCode: string, success: boolean, why: string): UnsignedNotificationItem => ({
    pspReference,
    originalReference: payment.pspReference,
    merchantAccountCode: ctx.merchantAccount,
    merchantReference: input.reference,
    eventCode,
    eventDate: eventDate(ctx.now()),
    success: success ? 'true' : 'false',
    reason: why,
    amount: { value: input.value, currency: input.currency },
    paymentMethod: 'visa',
  });
  ctx.notifier.enqueue(item('REFUND', reason === null, reason ?? ''));
  if (reversed) ctx.notifier.enqueue(item('REFUND_FAILED', true, 'Refund failed'));
  const amount = { value: input.value, currency: input.currency };
  return { status: 201, body: { merchantAccount: ctx.merchantAccount, paymentPspReference: payment.pspReference, reference: input.reference, pspReference, status: 'received', amount } };
}

function holderOf(ctx: StubContext, payment: StubPayment): string {
  return STUB_TEST_STORED_METHODS[payment.storedPaymentMethodId] ?? ctx.ledger.storedMethod(payment.storedPaymentMethodId)?.holderName ?? '';
}
