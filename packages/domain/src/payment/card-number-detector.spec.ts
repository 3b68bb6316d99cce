import { containsCardNumber, findCardNumber, luhnValid } from './card-number-detector';

describe('card number detection', () => {
  describe(luhnValid, () => {
    it('should accept Luhn-valid numbers and reject others', () => {
      expect(luhnValid('4111111111111111')).toBe(true);
      expect(luhnValid('4111111111111112')).toBe(false);
      expect(luhnValid('79927398713')).toBe(true);
    });
  });

  describe(containsCardNumber, () => {
    it.each([
      ['4111111111111111', 'a 16-digit Visa test number'],
      ['5555555555554444', 'a Mastercard test number'],
      ['378282246310005', 'a 15-digit Amex test number'],
      ['6011111111111117', 'a Discover test number'],
      ['4111 1111 1111 1111', 'groups split by spaces'],
      ['4111-1111-1111-1111', 'groups split by dashes'],
      ['card: 4111111111111111 exp 12/29', 'a number inside text'],
      ['4111 1111 1111 1111 1234', 'a number followed by another group'],
      ['order 12 4111111111111111', 'a number after an unrelated group'],
      ['6762000000000000009', 'a 19-digit Maestro-length number'],
      ['100000000008', 'a 12-digit Luhn-valid run'],
    ])('should find %p (%s)', (text) => {
      expect(containsCardNumber(text)).toBe(true);
    });

    it.each([
      ['4111111111111112', 'a 16-digit run that fails Luhn'],
      ['12345678901', 'an 11-digit run'],
      ['91111111111111111111117', 'a separator-free 23-digit order number'],
      ['tok_visa_4242', 'a token'],
      ['2026-11-25', 'a date'],
      ['+49 30 1234567', 'a phone number'],
      ['', 'an empty string'],
    ])('should not flag %p (%s)', (text) => {
      expect(containsCardNumber(text)).toBe(false);
    });
  });

  describe(findCardNumber, () => {
    it('should return the path of the first field holding a card number, at any depth', () => {
      expect(findCardNumber({ a: 'x', b: { c: ['ok', 'pan 4111111111111111'] } })).toBe('b.c[1]');
      expect(findCardNumber({ amount: 4111111111111111 })).toBe('amount');
      expect(findCardNumber({ nothing: 'here', n: 42 })).toBeUndefined();
    });

    it('should report a key that is a card number without repeating its digits', () => {
      const path = findCardNumber({ metadata: { '4111111111111111': 'x' } });

      expect(path).toBe('metadata.<key>');
    });
  });
});
