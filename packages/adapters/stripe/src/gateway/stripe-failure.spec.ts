import { Money } from '@aegispay/domain';
import Stripe from 'stripe';
import { InvalidStripeRequestError } from '../errors/stripe.errors';
import { fromStripeAmount, toStripeAmount } from './stripe-amounts';
import { STRIPE_DECLINE_TYPES, declineTypeOf } from './stripe-decline-codes';
import { classifyStripeFailure } from './stripe-failure';

const api = (statusCode: number, headers: Record<string, string> = {}, extra: Record<string, string> = {}): Stripe.errors.StripeError =>
  Stripe.errors.StripeError.generate({ statusCode, headers, message: `answer ${statusCode}`, type: 'api_error', ...extra } as never);
const connection = (code: string): Stripe.errors.StripeError => new Stripe.errors.StripeConnectionError({ message: 'connection', detail: Object.assign(new Error(code), { code }) } as never);

describe(classifyStripeFailure, () => {
  describe('when the SDK reports an answer', () => {
    it.each([
      ['a 402 card error', Stripe.errors.StripeError.generate({ statusCode: 402, type: 'card_error', code: 'card_declined', decline_code: 'do_not_honor', message: 'no' } as never), { kind: 'DECLINED', code: 'do_not_honor' }],
      ['a 400 idempotency error', Stripe.errors.StripeError.generate({ statusCode: 400, type: 'idempotency_error', message: 'reused' } as never), { kind: 'IDEMPOTENCY_CONFLICT' }],
      ['a 400 invalid request', api(400, {}, { type: 'invalid_request_error', code: 'parameter_missing' }), { kind: 'REFUSED', code: 'parameter_missing' }],
      ['a 404', api(404, {}, { type: 'invalid_request_error', code: 'resource_missing' }), { kind: 'REFUSED', code: 'resource_missing' }],
      ['a 409', api(409), { kind: 'IN_FLIGHT' }],
      ['a 429', api(429, {}, { code: 'rate_limit' }), { kind: 'FAILED', code: 'rate_limit', retryable: true }],
      ['a 401', api(401, {}, { type: 'invalid_request_error' }), { kind: 'FAILED', retryable: false }],
      ['a 403', api(403, {}, { type: 'invalid_request_error' }), { kind: 'FAILED', retryable: false }],
      ['a 503', api(503), { kind: 'FAILED', retryable: true }],
      ['a 503 Stripe asks not to retry', api(503, { 'stripe-should-retry': 'false' }), { kind: 'INDETERMINATE' }],
      ['a 500', api(500), { kind: 'INDETERMINATE' }],
      ['a 500 Stripe asks to retry', api(500, { 'stripe-should-retry': 'true' }), { kind: 'FAILED', retryable: true }],
      ['a 502', api(502), { kind: 'INDETERMINATE' }],
      ['a 504', api(504), { kind: 'INDETERMINATE' }],
    ])('should classify %s', (_case, error, expected) => {
      expect(classifyStripeFailure(error, 1)).toMatchObject(expected);
    });
  });

  describe('when the connection failed', () => {
    it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])('should read %s on the only attempt as not sent', (code) => {
      expect(classifyStripeFailure(connection(code), 1)).toEqual({ kind: 'NOT_SENT', errno: code });
    });

    it('should read a refused connection on the SDK own retry as indeterminate: the first attempt may have arrived', () => {
      expect(classifyStripeFailure(connection('ECONNREFUSED'), 2)).toMatchObject({ kind: 'INDETERMINATE' });
    });

    it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE'])('should read %s as indeterminate', (code) => {
      expect(classifyStripeFailure(connection(code), 1)).toMatchObject({ kind: 'INDETERMINATE' });
    });
  });

  describe('when the error is not the SDK', () => {
    it('should leave it to the caller', () => {
      expect(classifyStripeFailure(new TypeError('bug'), 1)).toBeUndefined();
    });
  });
});

describe(declineTypeOf, () => {
  it('should read every documented code from the table and an unknown code as SOFT', () => {
    for (const [code, type] of Object.entries(STRIPE_DECLINE_TYPES)) expect(declineTypeOf(code)).toBe(type);
    expect(declineTypeOf('something_new')).toBe('SOFT');
    expect(declineTypeOf('toString')).toBe('SOFT');
  });
});

describe(toStripeAmount, () => {
  it.each([
    [Money.of(1999, 'EUR'), { amount: 1999, currency: 'eur' }],
    [Money.of(500, 'JPY'), { amount: 500, currency: 'jpy' }],
    [Money.of(5, 'ISK'), { amount: 500, currency: 'isk' }],
    [Money.of(1230, 'KWD'), { amount: 1230, currency: 'kwd' }],
  ])('should write %s in Stripe units', (money, expected) => {
    expect(toStripeAmount('STRIPE', 'amount', money)).toEqual(expected);
    expect(fromStripeAmount(expected.amount, expected.currency)).toEqual(money);
  });

  it('should refuse a three-decimal amount whose last digit is not 0', () => {
    expect(() => toStripeAmount('STRIPE', 'amount', Money.of(1235, 'KWD'))).toThrow(InvalidStripeRequestError);
  });
});
