import { Money } from '@aegispay/domain';
import { ADYEN_REFUSAL_REASONS, refusalReasonOf } from './refusal-reasons';
import { chargeResultOf, chargeStatusOf, nextActionOf } from './result-codes';

describe(chargeResultOf, () => {
  describe('when Adyen answers Cancelled without a refusal reason', () => {
    it('should be a HARD decline "cancelled"', () => {
      expect(chargeResultOf({ resultCode: 'Cancelled', pspReference: 'P' })).toMatchObject({ outcome: 'DECLINED', declineCode: 'cancelled', declineType: 'HARD' });
    });
  });

  describe.each(['PartiallyAuthorised', 'AuthenticationFinished', 'Success', undefined])('when Adyen answers %s', (resultCode) => {
    it('should be UNKNOWN, never taken as nothing charged', () => {
      expect(chargeResultOf({ ...(resultCode === undefined ? {} : { resultCode }), pspReference: 'P' })).toMatchObject({ outcome: 'UNKNOWN' });
    });
  });

  describe('when Authorised comes without a pspReference', () => {
    it('should be UNKNOWN', () => {
      expect(chargeResultOf({ resultCode: 'Authorised' })).toMatchObject({ outcome: 'UNKNOWN' });
    });
  });
});

describe(chargeStatusOf, () => {
  describe('when the replay answers Error', () => {
    it('should be a SOFT decline (final, nothing charged)', () => {
      const request = { reference: 'r', paymentId: 'p', merchantId: 'm', amount: Money.of(1, 'EUR'), paymentMethod: { type: 'CARD' as const, token: 't' } };

      expect(chargeStatusOf({ resultCode: 'Error', refusalReasonCode: '4', pspReference: 'P' }, request)).toEqual({ status: 'DECLINED', declineCode: 'adyen_error_acquirer_error', declineType: 'SOFT' });
    });
  });
});

describe(nextActionOf, () => {
  describe('when the redirect is a POST', () => {
    it('should carry its form data', () => {
      expect(nextActionOf({ type: 'redirect', url: 'https://acs.example/3ds', method: 'POST', data: { PaReq: 'x', MD: 'y' } })).toEqual({
        type: 'REDIRECT',
        url: 'https://acs.example/3ds',
        method: 'POST',
        data: { PaReq: 'x', MD: 'y' },
      });
    });
  });

  describe('when there is no action object', () => {
    it('should be undefined', () => {
      expect(nextActionOf(undefined)).toBeUndefined();
      expect(nextActionOf('redirect')).toBeUndefined();
    });
  });
});

describe(refusalReasonOf, () => {
  it('should find a reason by code, else by text (webhooks), else the SOFT generic refusal', () => {
    expect(refusalReasonOf('6', undefined)).toMatchObject({ declineCode: 'expired_card', declineType: 'HARD' });
    expect(refusalReasonOf(undefined, 'not enough balance')).toMatchObject({ declineCode: 'not_enough_balance', declineType: 'SOFT' });
    expect(refusalReasonOf('999', 'Something new')).toMatchObject({ declineCode: 'refused', declineType: 'SOFT' });
  });

  it('should have one entry per code and per text', () => {
    expect(new Set(ADYEN_REFUSAL_REASONS.map((entry) => entry.code)).size).toBe(ADYEN_REFUSAL_REASONS.length);
    expect(new Set(ADYEN_REFUSAL_REASONS.map((entry) => entry.reason.toLowerCase())).size).toBe(ADYEN_REFUSAL_REASONS.length);
  });
});
