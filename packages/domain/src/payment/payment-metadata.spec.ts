import { METADATA_LIMITS, validateMetadata } from './payment-metadata';
import { InvalidPaymentError } from './payment.errors';

describe(validateMetadata, () => {
  describe('when the metadata is within the limits', () => {
    it('should return a frozen copy', () => {
      const input = { country: 'DE', 'order.id': 'A-1', retries: 2, vip: true };
      const metadata = validateMetadata(input);

      expect(metadata).toEqual(input);
      expect(metadata).not.toBe(input);
      expect(Object.isFrozen(metadata)).toBe(true);
    });

    it('should accept exactly the limits', () => {
      const input = Object.fromEntries(
        Array.from({ length: METADATA_LIMITS.maxKeys }, (_, i) => [`k${i}`.padEnd(METADATA_LIMITS.maxKeyLength, 'x'), 'v'.repeat(500)]),
      );

      expect(Object.keys(validateMetadata(input))).toHaveLength(50);
    });

    it('should give an empty object for undefined', () => {
      expect(validateMetadata(undefined)).toEqual({});
    });
  });

  describe('when the metadata breaks a limit', () => {
    it.each([
      ['a key that is too long', { ['k'.repeat(41)]: 'v' }],
      ['an empty key', { '': 'v' }],
      ['a key with spaces', { 'a b': 'v' }],
      ['a non-finite number', { n: Number.POSITIVE_INFINITY }],
      ['a null value', { n: null }],
      ['an array value', { n: [1] }],
      ['an array', [1, 2]],
    ])('should reject %s with PAYMENT.INVALID_METADATA', (_name, input) => {
      expect(() => validateMetadata(input)).toThrow(InvalidPaymentError);
      try {
        validateMetadata(input);
      } catch (error) {
        expect((error as InvalidPaymentError).code).toBe('PAYMENT.INVALID_METADATA');
      }
    });
  });
});
