import { ValidationError } from '@aegispay/domain';
import { ChaosScope } from './chaos-scope';

describe('ChaosScope', () => {
  describe('.recordFailure', () => {
    describe('when no links are given', () => {
      it('should raise every other member for durationMs', () => {
        const scope = new ChaosScope({ boost: 0.4, durationMs: 1_000 });
        ['STRIPE', 'PAYPAL', 'ADYEN'].forEach((name) => scope.register(name));
        scope.recordFailure('STRIPE', 10_000);
        expect(scope.boostFor('STRIPE', 10_500)).toBe(0);
        expect(scope.boostFor('PAYPAL', 10_500)).toBe(0.4);
        expect(scope.boostFor('ADYEN', 10_999)).toBe(0.4);
        expect(scope.boostFor('ADYEN', 11_000)).toBe(0);
      });
    });

    describe('when links are given', () => {
      it('should spread failures along the links only, in their direction', () => {
        const scope = new ChaosScope({ links: { STRIPE: ['PAYPAL'] } });
        ['STRIPE', 'PAYPAL', 'ADYEN'].forEach((name) => scope.register(name));
        scope.recordFailure('STRIPE', 0);
        scope.recordFailure('PAYPAL', 0);
        expect(scope.boostFor('PAYPAL', 1)).toBe(0.3);
        expect(scope.boostFor('ADYEN', 1)).toBe(0);
        expect(scope.boostFor('STRIPE', 1)).toBe(0);
        expect(scope.getStats().triggers).toBe(1);
      });
    });

    describe('when failures repeat', () => {
      it('should extend the raise from the last failure without stacking it', () => {
        const scope = new ChaosScope({ boost: 0.2, durationMs: 100 });
        scope.register('A');
        scope.register('B');
        scope.recordFailure('A', 0);
        scope.recordFailure('A', 50);
        expect(scope.boostFor('B', 149)).toBe(0.2);
        expect(scope.boostFor('B', 150)).toBe(0);
        expect(scope.getStats()).toEqual({ members: ['A', 'B'], triggers: 2, boostedUntil: { B: 150 } });
      });
    });
  });

  describe('constructor', () => {
    describe('when options are out of range', () => {
      it('should reject them with a ValidationError', () => {
        expect(() => new ChaosScope({ boost: 0 })).toThrow(ValidationError);
        expect(() => new ChaosScope({ boost: 1.2 })).toThrow(/boost/);
        expect(() => new ChaosScope({ durationMs: -1 })).toThrow(/durationMs/);
      });
    });

    describe('when links are malformed', () => {
      it('should reject them naming the entry, instead of spreading failures to the letters of a string', () => {
        expect(() => new ChaosScope({ links: { STRIPE: 'PAYPAL' as never } })).toThrow(
          expect.objectContaining({ code: 'CHAOS.INVALID_SCOPE', field: 'links.STRIPE' }),
        );
        expect(() => new ChaosScope({ links: [] as never })).toThrow(expect.objectContaining({ field: 'links' }));
      });
    });

    describe('when a gateway is named like an Object.prototype member', () => {
      it('should find no links for it', () => {
        expect(new ChaosScope({ links: { STRIPE: ['PAYPAL'] } }).linkedTo('constructor')).toEqual([]);
      });
    });
  });

  describe('.describe', () => {
    it('should report its settings as JSON-safe data', () => {
      expect(new ChaosScope().describe()).toEqual({ boost: 0.3, durationMs: 10_000, links: 'ALL' });
    });
  });
});
