import fc from 'fast-check';
import { ProblemError } from './problem-details';
import { createPaymentBodySchema, parseBody, refundBodySchema } from './request.schemas';

const VALID = { amount: 1999, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_visa' } };

function errorsOf(body: unknown, schema: Parameters<typeof parseBody>[0] = createPaymentBodySchema): ProblemError {
  try {
    parseBody(schema, body);
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe(parseBody, () => {
  describe('when the body is valid', () => {
    it('should return it as validated data', () => {
      const body = { ...VALID, customerId: 'cus_1', description: 'Order 7', metadata: { country: 'DE', gift: true, items: 3 } };

      expect(parseBody(createPaymentBodySchema, body)).toEqual(body);
    });

    it('should accept an empty refund body (refund everything)', () => {
      expect(parseBody(refundBodySchema, {})).toEqual({});
    });
  });

  describe('when fields are wrong', () => {
    it('should report every problem with its field and a stable code', () => {
      const problem = errorsOf({ amount: 19.99, currency: 'eur', paymentMethod: { type: 'CHEQUE' }, merchantId: 'm_2', idempotencyKey: 'k' });

      expect([problem.status, problem.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
      expect(problem.errors?.map((error) => [error.field, error.code])).toEqual([
        ['amount', 'REQUEST.NOT_AN_INTEGER'],
        ['currency', 'REQUEST.INVALID_FORMAT'],
        ['paymentMethod.type', 'REQUEST.INVALID_VALUE'],
        ['paymentMethod.token', 'REQUEST.FIELD_REQUIRED'],
        ['merchantId', 'REQUEST.UNKNOWN_FIELD'],
        ['idempotencyKey', 'REQUEST.UNKNOWN_FIELD'],
      ]);
      expect(problem.errors?.find((error) => error.field === 'merchantId')?.message).toContain('the merchant is the one your API key belongs to');
      expect(problem.errors?.find((error) => error.field === 'idempotencyKey')?.message).toContain('Idempotency-Key header');
    });

    it('should never quote the values it refuses', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 6, maxLength: 30 }).filter((text) => /^[a-z]+$/.test(text)), (secret) => {
          const problem = errorsOf({ amount: secret, currency: secret, paymentMethod: { type: secret, token: `${secret} ${secret}` }, metadata: { note: { secret } } });

          expect(JSON.stringify(problem.errors)).not.toContain(secret);
          expect(problem.message).not.toContain(secret);
        }),
        { numRuns: 50, seed: 4 },
      );
    });
  });

  describe('when any field holds a card number', () => {
    it.each([
      [{ ...VALID, description: 'paid with 4111 1111 1111 1111' }, 'description'],
      [{ ...VALID, metadata: { ref: '5555555555554444' } }, 'metadata.ref'],
      [{ ...VALID, extra: [{ deep: { pan: 4111111111111111 } }] }, 'extra[0].deep.pan'],
    ])('should refuse it first, naming the field without the digits (%#)', (body, field) => {
      const problem = errorsOf(body);

      expect([problem.code, problem.errors?.[0]?.field]).toEqual(['PAYMENT.CARD_DATA_DETECTED', field]);
      expect(problem.message).not.toMatch(/4111|5555/);
    });
  });

  describe('when a key is __proto__', () => {
    it('should refuse it rather than let it vanish', () => {
      const problem = errorsOf(JSON.parse('{"amount":1,"currency":"EUR","paymentMethod":{"type":"CARD","token":"t"},"metadata":{"__proto__":"x"}}'));

      expect(problem.errors?.[0]).toMatchObject({ field: 'metadata.__proto__', code: 'REQUEST.UNKNOWN_FIELD' });
    });
  });
});
