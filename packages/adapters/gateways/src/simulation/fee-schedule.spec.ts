import { Money } from '@aegispay/domain';
import fc from 'fast-check';
import { FeeSchedule, type FeeScheduleOptions } from './fee-schedule';

describe(FeeSchedule, () => {
  const schedule = new FeeSchedule({
    default: { percentage: 3.9 },
    currencies: { USD: { percentage: 2.9, fixed: 30 }, JPY: { percentage: 3.6 }, KWD: { percentage: 1.25, fixed: 150 } },
  });

  describe('constructor', () => {
    describe.each<[string, unknown, string]>([
      ['an unknown currency', { currencies: { XYZ: { percentage: 1 } } }, 'fees.currencies.XYZ'],
      ['a lower-case currency', { currencies: { usd: { percentage: 1 } } }, 'fees.currencies.usd'],
      ['a percentage above 100', { currencies: { USD: { percentage: 101 } } }, 'fees.currencies.USD.percentage'],
      ['a negative percentage', { default: { percentage: -1 } }, 'fees.default.percentage'],
      ['a percentage finer than 0.0001', { default: { percentage: 2.00001 } }, 'fees.default.percentage'],
      ['a missing percentage', { currencies: { EUR: { fixed: 25 } } }, 'fees.currencies.EUR.percentage'],
      ['a fractional fixed fee', { currencies: { EUR: { percentage: 1, fixed: 2.5 } } }, 'fees.currencies.EUR.fixed'],
      ['a negative fixed fee', { currencies: { EUR: { percentage: 1, fixed: -1 } } }, 'fees.currencies.EUR.fixed'],
      ['a fixed fee in the default rate', { default: { percentage: 1, fixed: 30 } }, 'fees.default.fixed'],
      ['currencies that are not an object', { currencies: 'USD' }, 'fees.currencies'],
    ])('when given %s', (_case, options, field) => {
      it(`should throw an InvalidOptionError naming ${field}`, () => {
        const create = (): FeeSchedule => new FeeSchedule(options as FeeScheduleOptions);
        expect(create).toThrow(expect.objectContaining({ name: 'InvalidOptionError', code: 'GATEWAY.INVALID_OPTION', field: field }) as Error);
      });
    });

    describe('when given nothing', () => {
      it('should charge no fee', () => {
        expect(new FeeSchedule().feeFor(Money.of(10_000, 'EUR'))).toEqual(Money.of(0, 'EUR'));
      });
    });
  });

  describe('.feeFor', () => {
    describe('when the currency has its own rate', () => {
      it('should add the fixed part to the percentage, in that currency', () => {
        expect(schedule.feeFor(Money.of(10_000, 'USD')).toString()).toBe('3.20 USD'); // 2.9 % of 100.00 + 0.30
        expect(schedule.feeFor(Money.of(1_000, 'JPY')).toString()).toBe('36 JPY');
        expect(schedule.feeFor(Money.of(10_000, 'KWD')).toString()).toBe('0.275 KWD'); // 125 + 150 fils
      });
    });

    describe('when the currency has no rate of its own', () => {
      it('should apply the default percentage and no fixed part', () => {
        expect(schedule.feeFor(Money.of(10_000, 'EUR')).toString()).toBe('3.90 EUR');
      });
    });

    describe('when the proportional part falls between two minor units', () => {
      it('should round half up', () => {
        const onePercent = new FeeSchedule({ default: { percentage: 1 } });
        expect(onePercent.feeFor(Money.of(49, 'EUR')).amount).toBe(0); // 0.49
        expect(onePercent.feeFor(Money.of(50, 'EUR')).amount).toBe(1); // 0.5 → 1
        expect(onePercent.feeFor(Money.of(150, 'EUR')).amount).toBe(2); // 1.5 → 2
        expect(onePercent.feeFor(Money.of(249, 'EUR')).amount).toBe(2); // 2.49
      });

      it('should not be fooled by binary floating point (2.9 % of 1 000 is exactly 29)', () => {
        expect(new FeeSchedule({ default: { percentage: 2.9 } }).feeFor(Money.of(1_000, 'EUR')).amount).toBe(29);
        expect(new FeeSchedule({ default: { percentage: 1.15 } }).feeFor(Money.of(1_000, 'EUR')).amount).toBe(12); // 11.5 → 12
      });
    });

    it('should equal fixed + round-half-up(amount × percentage / 100) computed exactly, for any amount', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: Math.floor(Number.MAX_SAFE_INTEGER / 2) }),
          fc.integer({ min: 0, max: 1_000_000 }), // ppm of the amount: 0 % to 100 % in steps of 0.0001 %
          fc.integer({ min: 0, max: 1_000 }),
          (amount, ppm, fixed) => {
            const fees = new FeeSchedule({ currencies: { USD: { percentage: ppm / 10_000, fixed } } });
            const exact = BigInt(amount) * BigInt(ppm);
            const rounded = exact / 1_000_000n + (2n * (exact % 1_000_000n) >= 1_000_000n ? 1n : 0n);
            return fees.feeFor(Money.of(amount, 'USD')).amount === Number(rounded) + fixed;
          },
        ),
      );
    });
  });

  describe('.rateFor', () => {
    it('should give the rate of the currency, or the default', () => {
      expect(schedule.rateFor('USD')).toEqual({ percentage: 2.9, fixed: 30 });
      expect(schedule.rateFor('EUR')).toEqual({ percentage: 3.9, fixed: 0 });
      expect(schedule.currencies()).toEqual(['JPY', 'KWD', 'USD']);
    });
  });
});
