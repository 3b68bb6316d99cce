import { CryptoRandom } from './crypto-random';
import { CryptoIdGenerator } from './node-id-generator';
import { SystemClock } from './system-clock';

describe(SystemClock, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  describe('.now', () => {
    it('should read the system time', () => {
      expect(new SystemClock().now()).toBe(Date.UTC(2026, 0, 1));
    });
  });

  describe('.sleep', () => {
    it('should resolve after the delay', async () => {
      const resolved = jest.fn();
      const sleeping = new SystemClock().sleep(100).then(resolved);

      await jest.advanceTimersByTimeAsync(99);
      expect(resolved).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      await sleeping;

      expect(resolved).toHaveBeenCalledTimes(1);
    });

    it('should reject with the abort reason', async () => {
      const controller = new AbortController();
      const sleeping = new SystemClock().sleep(100, controller.signal);

      controller.abort(new Error('cancelled'));

      await expect(sleeping).rejects.toThrow('cancelled');
    });
  });

  describe('.setTimer', () => {
    it('should fire once unless cancelled', () => {
      const clock = new SystemClock();
      const fired = jest.fn();
      const cancelled = jest.fn();
      clock.setTimer(10, fired);
      clock.setTimer(10, cancelled).cancel();

      jest.advanceTimersByTime(10);

      expect(fired).toHaveBeenCalledTimes(1);
      expect(cancelled).not.toHaveBeenCalled();
    });
  });
});

describe(CryptoRandom, () => {
  describe('.next', () => {
    it('should return floats in [0, 1) spread over the interval', () => {
      const random = new CryptoRandom();
      const values = Array.from({ length: 2_000 }, () => random.next());

      expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
      expect(values.filter((value) => value < 0.5).length).toBeGreaterThan(800);
      expect(values.filter((value) => value < 0.5).length).toBeLessThan(1_200);
      expect(new Set(values).size).toBe(values.length);
    });
  });
});

describe(CryptoIdGenerator, () => {
  describe('.generate', () => {
    it('should return unique UUIDs, prefixed when asked', () => {
      const ids = new CryptoIdGenerator();

      expect(ids.generate()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ids.generate('pay')).toMatch(/^pay_[0-9a-f-]{36}$/);
      expect(ids.generate()).not.toBe(ids.generate());
    });
  });
});
