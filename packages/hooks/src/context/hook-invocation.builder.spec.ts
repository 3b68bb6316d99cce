import { aPendingPayment } from '@aegispay/domain/testing';

import { aHookContext } from '../testing';
import { freezeCopy, prepareInvocation, snapshotOf } from './hook-invocation.builder';

describe(freezeCopy, () => {
  describe('when given nested plain data', () => {
    it('should return an equal, deeply frozen copy', () => {
      const source = { a: [1, { b: 'c' }], d: { e: true } };

      const copy = freezeCopy(source);

      expect(copy).toEqual(source);
      expect(copy).not.toBe(source);
      expect([Object.isFrozen(copy), Object.isFrozen(copy.a), Object.isFrozen(copy.a[1]), Object.isFrozen(copy.d)]).toEqual([true, true, true, true]);
      expect(Object.isFrozen(source)).toBe(false);
    });
  });

  describe('when a key is named __proto__', () => {
    it('should keep it as data instead of changing the prototype', () => {
      const source = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;

      const copy = freezeCopy(source);

      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.keys(copy)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  describe('when the data has a cycle', () => {
    it('should copy it without recursing forever', () => {
      const source: Record<string, unknown> = { name: 'loop' };
      source['self'] = source;

      const copy = freezeCopy(source);

      expect(copy['self']).toBe(copy);
    });
  });

  describe('when a value is not plain data', () => {
    it('should keep dates, errors and class instances as they are', () => {
      const date = new Date(0);
      const error = new Error('x');

      const copy = freezeCopy({ date, error });

      expect(copy.date).toBe(date);
      expect(copy.error).toBe(error);
    });
  });
});

describe(snapshotOf, () => {
  describe('when given a Payment aggregate', () => {
    it('should return its deep-frozen snapshot', () => {
      const payment = aPendingPayment();

      const snapshot = snapshotOf(payment);

      expect(snapshot).toEqual(payment.toSnapshot());
      expect(Object.isFrozen(snapshot.paymentMethod)).toBe(true);
    });
  });
});

describe(prepareInvocation, () => {
  describe('when a context carries extra fields', () => {
    it('should pass them on frozen, and the signal it is given', () => {
      const controller = new AbortController();
      const make = prepareInvocation({ ...aHookContext(), extra: { tags: ['a'] } });

      const invocation = make(controller.signal);

      expect(invocation.extra).toEqual({ tags: ['a'] });
      expect(Object.isFrozen(invocation.extra.tags)).toBe(true);
      expect(invocation.signal).toBe(controller.signal);
      expect(Object.isFrozen(invocation)).toBe(true);
    });
  });
});
