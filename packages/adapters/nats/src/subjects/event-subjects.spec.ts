import fc from 'fast-check';
import { decodeSubjectToken, encodeSubjectToken, EventSubjects } from './event-subjects';

describe(encodeSubjectToken, () => {
  it.each([
    ['merchant_42', 'merchant_42'],
    ['PaymentSucceeded', 'PaymentSucceeded'],
    ['merchant.eu:42', 'merchant%2Eeu%3A42'],
    ['a*b>c d', 'a%2Ab%3Ec%20d'],
    ['100%', '100%25'],
    ['café', 'caf%C3%A9'],
  ])('should turn %j into the token %j', (value, token) => {
    expect(encodeSubjectToken(value)).toBe(token);
    expect(decodeSubjectToken(token)).toBe(value);
  });

  it('should give every string a token of plain characters that decodes back to it, and two strings never one token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), fc.string({ minLength: 1, unit: 'grapheme' }), (a, b) => {
        const token = encodeSubjectToken(a);
        expect(token).toMatch(/^([A-Za-z0-9_-]|%[0-9A-F]{2})+$/);
        expect(decodeSubjectToken(token)).toBe(a);
        if (a !== b) expect(encodeSubjectToken(b)).not.toBe(token);
      }),
    );
  });

  it('should refuse an empty value: a subject token cannot be empty', () => {
    expect(() => encodeSubjectToken('')).toThrow(expect.objectContaining({ code: 'NATS.INVALID_OPTION' }) as Error);
  });
});

describe(decodeSubjectToken, () => {
  it.each(['', 'a.b', 'a%2', 'a%zz', '%C3', '*'])('should refuse %j', (token) => {
    expect(() => decodeSubjectToken(token)).toThrow(expect.objectContaining({ code: 'NATS.INVALID_OPTION', field: 'token' }) as Error);
  });
});

describe(EventSubjects, () => {
  const subjects = new EventSubjects('aegispay.events');

  describe('.of', () => {
    it('should name the merchant and the event type under the prefix', () => {
      expect(subjects.of('merchant_42', 'PaymentSucceeded')).toBe('aegispay.events.merchant_42.PaymentSucceeded');
      expect(subjects.of('shop.de', 'PaymentCreated')).toBe('aegispay.events.shop%2Ede.PaymentCreated');
    });
  });

  describe('the filters', () => {
    it('should select everything, one merchant, or one event type', () => {
      expect(subjects.all()).toBe('aegispay.events.>');
      expect(subjects.forMerchant('shop.de')).toBe('aegispay.events.shop%2Ede.>');
      expect(subjects.forType('RefundProcessed')).toBe('aegispay.events.*.RefundProcessed');
    });
  });

  describe('.parse', () => {
    it('should read the merchant and event type back from a subject', () => {
      expect(subjects.parse(subjects.of('merchant.eu:42', 'PaymentFailed'))).toEqual({ merchantId: 'merchant.eu:42', eventType: 'PaymentFailed' });
    });

    it.each(['other.events.m.PaymentFailed', 'aegispay.events.m', 'aegispay.events.m.a.b', 'aegispay.events.m%2.X'])('should answer null for %j', (subject) => {
      expect(subjects.parse(subject)).toBeNull();
    });
  });

  describe('constructor', () => {
    it('should default to aegispay.events', () => {
      expect(new EventSubjects().prefix).toBe('aegispay.events');
    });

    it.each(['', 'a..b', 'a.*', 'a.>', '.a', 'a.', 'a b', 'events.ü'])('should refuse the prefix %j', (prefix) => {
      expect(() => new EventSubjects(prefix)).toThrow(expect.objectContaining({ code: 'NATS.INVALID_OPTION', field: 'subjectPrefix' }) as Error);
    });
  });
});
