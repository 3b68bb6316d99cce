import { parseIdempotencyKey } from './idempotency-key.header';
import { ProblemError } from './problem-details';

function codeOf(header: string | undefined): string {
  try {
    parseIdempotencyKey(header);
    return 'OK';
  } catch (error) {
    return error instanceof ProblemError ? `${error.status} ${error.code}` : String(error);
  }
}

describe(parseIdempotencyKey, () => {
  describe('when the header is a bare token or an sf-string', () => {
    it.each([
      ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
      ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
      ['  order-42  ', 'order-42'],
      ['"a\\"b\\\\c"', 'a"b\\c'],
      ['x'.repeat(255), 'x'.repeat(255)],
    ])('should read %j as %j', (header, key) => {
      expect(parseIdempotencyKey(header)).toBe(key);
    });
  });

  describe('when the header is missing, malformed or holds a card number', () => {
    it.each([
      [undefined, '400 IDEMPOTENCY.KEY_MISSING'],
      ['', '400 IDEMPOTENCY.KEY_MISSING'],
      ['two words', '400 IDEMPOTENCY.KEY_INVALID'],
      ['"with space"', '400 IDEMPOTENCY.KEY_INVALID'],
      ['""', '400 IDEMPOTENCY.KEY_INVALID'],
      ['"open', '400 IDEMPOTENCY.KEY_INVALID'],
      ['x'.repeat(256), '400 IDEMPOTENCY.KEY_INVALID'],
      ['clé', '400 IDEMPOTENCY.KEY_INVALID'],
      ['4111111111111111', '400 PAYMENT.CARD_DATA_DETECTED'],
      ['"order-4111-1111-1111-1111"', '400 PAYMENT.CARD_DATA_DETECTED'],
    ])('should refuse %j with %s', (header, expected) => {
      expect(codeOf(header)).toBe(expected);
    });
  });
});
