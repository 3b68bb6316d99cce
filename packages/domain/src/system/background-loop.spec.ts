import { InvalidOptionError } from '../options/invalid-option.error';
import { deferred } from '../testing/deferred';
import { FakeClock } from '../testing/fake-clock';
import { BackgroundLoop } from './background-loop';

describe(BackgroundLoop, () => {
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  describe('.start', () => {
    it('should run at once, then every intervalMs, on the clock', async () => {
      const runs: number[] = [];
      const loop = new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => void runs.push(clock.now()) });
      const start = clock.now();

      loop.start();
      await clock.advance(0);
      await clock.advance(2_500);

      expect(runs).toEqual([start, start + 1_000, start + 2_000]);
      expect(loop.isRunning).toBe(true);
      await loop.stop();
    });

    it('should wait the delay a run asks for', async () => {
      const runs: number[] = [];
      const loop = new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => (runs.push(clock.now()), runs.length < 3 ? 0 : undefined) });
      const start = clock.now();

      loop.start();
      await clock.advance(1_000);

      expect(runs).toEqual([start, start, start, start + 1_000]);
      await loop.stop();
    });

    it('should be idempotent', async () => {
      let runs = 0;
      const loop = new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => void (runs += 1) });

      loop.start();
      loop.start();
      await clock.advance(0);

      expect(runs).toBe(1);
      expect(clock.pendingTimers()).toBe(1);
      await loop.stop();
    });
  });

  describe('.stop', () => {
    it('should cancel the pending run', async () => {
      let runs = 0;
      const loop = new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => void (runs += 1) });
      loop.start();
      await clock.advance(0);

      await loop.stop();
      await clock.advance(10_000);

      expect(runs).toBe(1);
      expect(loop.isRunning).toBe(false);
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should resolve only once the run in flight has finished', async () => {
      const gate = deferred<void>();
      let finished = false;
      const loop = new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => (await gate.promise, void (finished = true)) });
      loop.start();
      await clock.advance(0);

      let stopped = false;
      const stopping = loop.stop().then(() => void (stopped = true));
      await clock.advance(0);
      expect(stopped).toBe(false);

      gate.resolve();
      await stopping;
      expect(finished).toBe(true);
      expect(clock.pendingTimers()).toBe(0);
    });

    describe('when started again while a run is still in flight', () => {
      it('should continue after that run, never beside it', async () => {
        const gate = deferred<void>();
        let active = 0;
        let overlapped = false;
        let runs = 0;
        const loop = new BackgroundLoop({
          clock,
          intervalMs: 1_000,
          run: async () => {
            active += 1;
            overlapped ||= active > 1;
            runs += 1;
            if (runs === 1) await gate.promise;
            active -= 1;
          },
        });
        loop.start();
        await clock.advance(0);

        const stopping = loop.stop();
        loop.start();
        await clock.advance(5_000);
        expect(runs).toBe(1);

        gate.resolve();
        await stopping;
        await clock.advance(2_000);

        expect(overlapped).toBe(false);
        expect(runs).toBe(3);
        expect(clock.pendingTimers()).toBe(1);
        await loop.stop();
      });
    });
  });

  describe('when a run fails', () => {
    it('should report the error to onError and go on after errorDelayMs', async () => {
      const errors: unknown[] = [];
      const failure = new Error('database down');
      let runs = 0;
      const loop = new BackgroundLoop({
        clock,
        intervalMs: 1_000,
        errorDelayMs: 5_000,
        onError: (error) => errors.push(error),
        run: async () => {
          runs += 1;
          if (runs === 1) throw failure;
        },
      });

      loop.start();
      await clock.advance(4_999);
      expect(runs).toBe(1);
      await clock.advance(1);

      expect(errors).toEqual([failure]);
      expect(runs).toBe(2);
      await loop.stop();
    });

    describe('and onError throws too', () => {
      it('should neither stop the loop nor leave an unhandled rejection', async () => {
        const unhandled: unknown[] = [];
        const listener = (reason: unknown): void => void unhandled.push(reason);
        process.on('unhandledRejection', listener);
        let runs = 0;
        const loop = new BackgroundLoop({
          clock,
          intervalMs: 100,
          onError: () => {
            throw new Error('the logger is broken');
          },
          run: async () => {
            runs += 1;
            throw new Error('store down');
          },
        });

        try {
          loop.start();
          await clock.advance(250);
          await loop.stop();
          await new Promise((resolve) => setImmediate(resolve));
        } finally {
          process.off('unhandledRejection', listener);
        }

        expect(runs).toBe(3);
        expect(unhandled).toEqual([]);
      });
    });

    describe('and no onError is given', () => {
      it('should go on quietly', async () => {
        let runs = 0;
        const loop = new BackgroundLoop({ clock, intervalMs: 100, run: () => Promise.reject(new Error(`failure ${(runs += 1)}`)) });

        loop.start();
        await clock.advance(100);
        await loop.stop();

        expect(runs).toBe(2);
      });
    });
  });

  describe('construction', () => {
    it.each([
      [{ intervalMs: -1 }, 'intervalMs'],
      [{ intervalMs: undefined as never }, 'intervalMs'],
      [{ errorDelayMs: Number.NaN }, 'errorDelayMs'],
      [{ run: undefined as never }, 'run'],
      [{ clock: {} as never }, 'clock'],
      [{ onError: 'log' as never }, 'onError'],
    ])('should refuse %p naming %s', (override, field) => {
      expect(() => new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => undefined, ...override })).toThrow(
        expect.objectContaining({ code: 'BACKGROUND_LOOP.INVALID_OPTION', field }) as Error,
      );
      expect(() => new BackgroundLoop({ clock, intervalMs: 1_000, run: async () => undefined, ...override })).toThrow(InvalidOptionError);
    });
  });
});
