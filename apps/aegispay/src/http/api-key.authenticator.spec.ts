import crypto from 'node:crypto';
import { ApiKeyAuthenticator } from './api-key.authenticator';

const KEYS = new Map([
  ['sk_live_first_merchant_key', 'merchant_1'],
  ['sk_live_second_merchant_key', 'merchant_2'],
  ['sk_live_third_merchant_key_longer', 'merchant_3'],
]);

describe(ApiKeyAuthenticator, () => {
  const authenticator = new ApiKeyAuthenticator(KEYS);

  describe('.authenticate', () => {
    describe('when the header carries a configured key', () => {
      it.each([...KEYS])('should answer the merchant of %s', (key, merchantId) => {
        expect(authenticator.authenticate(`Bearer ${key}`)).toEqual({ ok: true, merchantId });
      });

      it('should accept the scheme in any case and surrounding spaces', () => {
        expect(authenticator.authenticate('bEaReR   sk_live_second_merchant_key ')).toEqual({ ok: true, merchantId: 'merchant_2' });
      });
    });

    describe('when the header is absent, malformed or the key unknown', () => {
      it.each([
        [undefined, 'MISSING'],
        ['', 'MISSING'],
        ['sk_live_first_merchant_key', 'MISSING'],
        ['Basic c2tfbGl2ZQ==', 'MISSING'],
        ['Bearersk_live_first_merchant_key', 'MISSING'],
        ['Bearer', 'MISSING'],
        ['Bearer   ', 'MISSING'],
        ['Bearer two words', 'MALFORMED'],
        [`Bearer ${'k'.repeat(513)}`, 'MALFORMED'],
        ['Bearer sk_live_cl\u00e9_merchant_key', 'MALFORMED'],
        ['Bearer sk_live_\u00a0first_merchant_key', 'MALFORMED'],
        ['Bearer sk_live_first_merchant_ke', 'INVALID'],
        ['Bearer sk_live_first_merchant_keyy', 'INVALID'],
        ['Bearer SK_LIVE_FIRST_MERCHANT_KEY', 'INVALID'],
      ])('should refuse %j as %s', (header, reason) => {
        expect(authenticator.authenticate(header)).toEqual({ ok: false, reason });
      });
    });

    describe('when comparing keys', () => {
      it('should compare fixed-length digests with timingSafeEqual against every key, even after a match', () => {
        const compare = jest.spyOn(crypto, 'timingSafeEqual');

        authenticator.authenticate('Bearer sk_live_first_merchant_key');
        authenticator.authenticate('Bearer x');

        expect(compare).toHaveBeenCalledTimes(2 * KEYS.size);
        for (const [left, right] of compare.mock.calls) {
          expect((left as Buffer).length).toBe(32);
          expect((right as Buffer).length).toBe(32);
        }
      });
    });
  });
});
