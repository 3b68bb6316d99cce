import { TEST_CARD_NUMBERS, disguisedCardNumberTexts, withCheckDigit } from '../testing';
import { CARD_ISSUERS, cardIssuerOf } from './card-issuers';
import { containsCardNumber, isCardNumber, luhnValid } from './card-number-detector';

describe('card number detection', () => {
  describe(luhnValid, () => {
    it('should accept Luhn-valid numbers and reject others', () => {
      expect(luhnValid('4111111111111111')).toBe(true);
      expect(luhnValid('4111111111111112')).toBe(false);
      expect(luhnValid('79927398713')).toBe(true);
    });
  });

  describe(cardIssuerOf, () => {
    it('should name the network of a number in its ranges and lengths', () => {
      expect(cardIssuerOf('4242424242424242')?.network).toMatch(/^Visa/);
      expect(cardIssuerOf('2223003122003222')?.network).toBe('Mastercard');
      expect(cardIssuerOf('378282246310005')?.network).toBe('American Express');
    });

    it('should know no number of a length its network does not issue, nor a prefix no network uses', () => {
      expect(cardIssuerOf('37828224631000')).toBeUndefined(); // Amex with 14 digits
      expect(cardIssuerOf('5555555555554')).toBeUndefined(); // Mastercard with 13 digits
      expect(cardIssuerOf('1767225600000123')).toBeUndefined(); // a timestamp: no network starts with 1
    });

    it('should have ranges written as equal-length digit strings in order', () => {
      for (const issuer of CARD_ISSUERS) {
        for (const [from, to] of issuer.ranges) {
          expect(from).toMatch(/^\d+$/);
          expect(to.length).toBe(from.length);
          expect(to >= from).toBe(true);
        }
      }
    });
  });

  describe(isCardNumber, () => {
    it.each(TEST_CARD_NUMBERS.map((digits) => [digits]))('should recognise the test card number %s', (digits) => {
      expect(isCardNumber(digits)).toBe(true);
    });

    it('should recognise a Luhn-valid number at the start and end of every range, at every length', () => {
      const missed: string[] = [];
      for (const issuer of CARD_ISSUERS) {
        for (const length of issuer.lengths) {
          for (const prefix of issuer.ranges.flat()) {
            const digits = withCheckDigit(prefix.padEnd(length - 1, '7'));
            if (!isCardNumber(digits)) missed.push(`${issuer.network} ${digits}`);
          }
        }
      }

      expect(missed).toEqual([]);
    });
  });

  describe(containsCardNumber, () => {
    describe('when a card number is disguised', () => {
      const corpus = disguisedCardNumberTexts();

      it(`should find every one of the ${corpus.length} forms of the corpus`, () => {
        const missed = corpus.filter((entry) => !containsCardNumber(entry.value)).map((entry) => `${entry.form}: ${JSON.stringify(entry.value)}`);

        expect(missed).toEqual([]);
        expect(corpus.length).toBeGreaterThanOrEqual(1_500);
      });
    });

    it.each([
      ['4111111111111112', 'a 16-digit run that fails Luhn'],
      ['1234567812345670', 'a Luhn-valid run in no network’s range'],
      ['12345678901', 'an 11-digit run'],
      ['100000000008', 'a Luhn-valid run of 12 digits, below the 13-digit floor'],
      ['91111111111111111111117', 'a separator-free 23-digit order number'],
      ['tok_visa_4242', 'a token'],
      ['2026-11-25', 'a date'],
      ['2026-11-25T15:08:58.648Z', 'a timestamp'],
      ['+49 30 1234567', 'a phone number'],
      ['555 123 4567, 555 987 6543', 'a list of phone numbers'],
      ['order-1767225600000', 'a key with a millisecond timestamp'],
      ['order-1767225600000-42', 'a key with a millisecond timestamp and a counter'],
      ['4242a4242b4242c4242', 'digits only joined across the letters of an identifier'],
      ['42424242-4242-4242-8000-000000000000', 'a UUID whose first three parts make a Visa number'],
      ['424242424242424242a4242', 'a hexadecimal word with several digit runs'],
      ['a1b2-4242-4242-4242-4242', 'the digit parts of an identifier'],
      ['', 'an empty string'],
    ])('should not flag %p (%s)', (text) => {
      expect(containsCardNumber(text)).toBe(false);
    });

    it('should find a card number in a path after a versioned segment', () => {
      expect(containsCardNumber('/v1/cards/4242-4242-4242-4242')).toBe(true);
      expect(containsCardNumber('/v1/cards/4242 4242 4242 4242')).toBe(true);
    });

    it('should not join groups written with different separators', () => {
      expect(containsCardNumber('4242-4242 4242.4242')).toBe(false);
      expect(containsCardNumber('4242 4242  4242 4242')).toBe(true);
    });
  });
});
