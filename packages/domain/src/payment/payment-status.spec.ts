import fc from 'fast-check';
import {
  PAYMENT_STATUSES,
  PAYMENT_TRANSITIONS,
  TERMINAL_STATUSES,
  assertTransition,
  canTransition,
  isPaymentStatus,
  type PaymentStatus,
} from './payment-status';
import { IllegalStateTransitionError } from './payment.errors';

/** The table as the product defines it, written out independently of the implementation. */
const ALLOWED = new Set([
  'PENDING->PROCESSING',
  'PENDING->CANCELLED',
  'PROCESSING->PAID',
  'PROCESSING->FAILED',
  'PROCESSING->REQUIRES_ACTION',
  'REQUIRES_ACTION->PROCESSING',
  'PAID->PARTIALLY_REFUNDED',
  'PAID->REFUNDED',
  'PARTIALLY_REFUNDED->REFUNDED',
]);

const anyStatus = fc.constantFrom(...PAYMENT_STATUSES);

describe('payment status machine', () => {
  describe(canTransition, () => {
    it('should allow a transition exactly when the table lists it, for every pair of statuses', () => {
      fc.assert(
        fc.property(anyStatus, anyStatus, (from, to) => canTransition(from, to) === ALLOWED.has(`${from}->${to}`)),
      );
    });

    it('should list exactly the transitions of the table', () => {
      const listed = Object.entries(PAYMENT_TRANSITIONS).flatMap(([from, targets]) => targets.map((to) => `${from}->${to}`));

      expect(new Set(listed)).toEqual(ALLOWED);
    });
  });

  describe(assertTransition, () => {
    describe('when the transition is illegal', () => {
      it('should throw IllegalStateTransitionError naming both statuses', () => {
        fc.assert(
          fc.property(anyStatus, anyStatus, (from, to) => {
            if (ALLOWED.has(`${from}->${to}`)) return true;
            try {
              assertTransition(from, to, 'pay_1');
              return false;
            } catch (error) {
              return (
                IllegalStateTransitionError.is(error) &&
                error.code === 'PAYMENT.ILLEGAL_TRANSITION' &&
                error.from === from &&
                error.to === to &&
                error.message.includes(from) &&
                error.message.includes(to)
              );
            }
          }),
        );
      });
    });

    describe('when the transition is legal', () => {
      it('should not throw', () => {
        expect(() => assertTransition('PENDING', 'PROCESSING')).not.toThrow();
      });
    });
  });

  describe('terminal statuses', () => {
    it('should be FAILED, CANCELLED and REFUNDED', () => {
      expect([...TERMINAL_STATUSES].sort()).toEqual(['CANCELLED', 'FAILED', 'REFUNDED']);
    });
  });

  describe(isPaymentStatus, () => {
    it('should recognise statuses and nothing else', () => {
      for (const status of PAYMENT_STATUSES) expect(isPaymentStatus(status)).toBe(true);
      expect(isPaymentStatus('paid')).toBe(false);
      expect(isPaymentStatus(undefined)).toBe(false);
      expect(isPaymentStatus('SETTLED' as PaymentStatus)).toBe(false);
    });
  });
});
