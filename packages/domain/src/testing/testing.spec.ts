import { FakeClock, SeededRandom, SequentialIdGenerator, aPaidPayment } from './index';

describe(SeededRandom, () => {
  describe('.next', () => {
    it('should give the same sequence for the same seed and another for another seed', () => {
      const take = (seed: number): number[] => {
        const random = new SeededRandom(seed);
        return Array.from({ length: 5 }, () => random.next());
      };

      expect(take(42)).toEqual(take(42));
      expect(take(42)).not.toEqual(take(43));
      expect(take(7).every((value) => value >= 0 && value < 1)).toBe(true);
    });

    it('should refuse a seed that is not an integer', () => {
      expect(() => new SeededRandom(1.5)).toThrow(RangeError);
    });
  });
});

describe(SequentialIdGenerator, () => {
  it('should count up across prefixes', () => {
    const ids = new SequentialIdGenerator();

    expect([ids.generate('pay'), ids.generate('evt'), ids.generate()]).toEqual(['pay_000001', 'evt_000002', 'id_000003']);
  });
});

describe(FakeClock, () => {
  it('should accept a start time as a number', () => {
    expect(new FakeClock(1234).now()).toBe(1234);
  });
});

describe(aPaidPayment, () => {
  it('should build a captured payment with its events already pulled', () => {
    const payment = aPaidPayment({ amount: 500, currency: 'JPY' }, undefined, 'ADYEN');

    expect(payment.status).toBe('PAID');
    expect(payment.gateway).toBe('ADYEN');
    expect(payment.money.toString()).toBe('500 JPY');
    expect(payment.pullEvents()).toEqual([]);
  });
});
