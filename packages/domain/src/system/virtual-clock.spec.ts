import { DEFAULT_VIRTUAL_EPOCH, VirtualClock } from './virtual-clock';

describe(VirtualClock, () => {
  describe('.now', () => {
    it('should start at 2026-01-01T00:00:00Z unless told otherwise', () => {
      expect(new VirtualClock().now()).toBe(DEFAULT_VIRTUAL_EPOCH);
      expect(new VirtualClock({ start: 5 }).now()).toBe(5);
    });
  });

  describe('.advance', () => {
    it('should fire due timers in time order, ties in scheduling order, and stop at the target', async () => {
      const clock = new VirtualClock({ start: 0 });
      const fired: string[] = [];
      clock.setTimer(30, () => fired.push(`c@${clock.now()}`));
      clock.setTimer(10, () => fired.push(`a@${clock.now()}`));
      clock.setTimer(10, () => fired.push(`b@${clock.now()}`));
      clock.setTimer(31, () => fired.push('late'));

      await clock.advance(30);

      expect(fired).toEqual(['a@10', 'b@10', 'c@30']);
      expect(clock.now()).toBe(30);
      expect(clock.pendingTimers()).toBe(1);
    });

    it('should let woken code schedule further timers relative to the time it woke at', async () => {
      const clock = new VirtualClock({ start: 0 });
      const wakes: number[] = [];
      const loop = async (): Promise<void> => {
        for (let i = 0; i < 3; i += 1) {
          await clock.sleep(100);
          wakes.push(clock.now());
        }
      };
      const done = loop();

      await clock.advance(250);
      expect(wakes).toEqual([100, 200]);
      await clock.advance(50);
      await done;

      expect(wakes).toEqual([100, 200, 300]);
    });

    it('should refuse to go backwards or by a non-finite amount', async () => {
      const clock = new VirtualClock();

      await expect(clock.advance(-1)).rejects.toThrow(RangeError);
      expect(() => clock.tick(Number.NaN)).toThrow(RangeError);
    });
  });

  describe('.sleep', () => {
    it('should resolve at once for zero or negative durations', async () => {
      const clock = new VirtualClock();

      await expect(clock.sleep(0)).resolves.toBeUndefined();
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should reject with the signal reason when aborted, and cancel its timer', async () => {
      const clock = new VirtualClock();
      const controller = new AbortController();
      const sleeping = clock.sleep(1_000, controller.signal);

      controller.abort(new Error('stop'));

      await expect(sleeping).rejects.toThrow('stop');
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should reject at once when the signal is already aborted', async () => {
      const clock = new VirtualClock();

      await expect(clock.sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    });
  });

  describe('whole milliseconds', () => {
    it('should keep time integral, rounding fractional delays up', async () => {
      const clock = new VirtualClock({ start: 0 });
      const fired: number[] = [];
      clock.setTimer(12.3, () => fired.push(clock.now()));

      await clock.advance(0.5);
      await clock.advance(20);

      expect(fired).toEqual([13]);
      expect(Number.isInteger(clock.now())).toBe(true);
      expect(clock.now()).toBe(21);
    });
  });

  describe('.setTimer', () => {
    it('should not fire a cancelled timer', async () => {
      const clock = new VirtualClock();
      const callback = jest.fn();
      const handle = clock.setTimer(10, callback);

      handle.cancel();
      handle.cancel();
      await clock.advance(20);

      expect(callback).not.toHaveBeenCalled();
    });
  });

  describe('.tick', () => {
    it('should fire due timers synchronously', () => {
      const clock = new VirtualClock({ start: 0 });
      const callback = jest.fn();
      clock.setTimer(5, callback);

      clock.tick(5);

      expect(callback).toHaveBeenCalledTimes(1);
      expect(clock.now()).toBe(5);
    });
  });

  describe('.set', () => {
    it('should jump forward firing timers, and backward without firing any', async () => {
      const clock = new VirtualClock({ start: 1_000 });
      const callback = jest.fn();
      clock.setTimer(500, callback);

      await clock.set(500);
      expect(callback).not.toHaveBeenCalled();
      expect(clock.now()).toBe(500);

      await clock.set(2_000);
      expect(callback).toHaveBeenCalledTimes(1);
      expect(clock.now()).toBe(2_000);
    });
  });

  describe('.runAll', () => {
    it('should fire every timer, including those scheduled while running', async () => {
      const clock = new VirtualClock({ start: 0 });
      const seen: number[] = [];
      clock.setTimer(10, () => {
        seen.push(clock.now());
        clock.setTimer(10, () => seen.push(clock.now()));
      });

      const fired = await clock.runAll();

      expect(fired).toBe(2);
      expect(seen).toEqual([10, 20]);
    });
  });

  describe('when auto-advancing', () => {
    it('should run a long virtual wait as soon as everything is waiting', async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      const workers = Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 100; i += 1) await clock.sleep(600 + worker);
        return clock.now();
      });

      const finished = await Promise.all(workers);

      expect(finished).toEqual(Array.from({ length: 8 }, (_, worker) => 100 * (600 + worker)));
      expect(clock.pendingTimers()).toBe(0);
    });

    it('should stop moving when switched off', async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      clock.setAutoAdvance(false);
      clock.setTimer(100, () => undefined);

      await new Promise((resolve) => setImmediate(resolve));

      expect(clock.now()).toBe(0);
      expect(clock.pendingTimers()).toBe(1);
    });
  });

  describe('.hold', () => {
    /** Real I/O: a few milliseconds of wall time, during which the event loop turns many times. */
    const realIo = (): Promise<string> => new Promise((resolve) => setTimeout(() => resolve('rows'), 20));

    it('should keep auto-advance from jumping to a timer while held work waits on real I/O', async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      let deadlineFired = false;
      clock.setTimer(5_000, () => (deadlineFired = true));

      const rows = await clock.hold(realIo);

      expect(rows).toBe('rows');
      expect(deadlineFired).toBe(false);
      expect(clock.now()).toBe(0);
      await clock.sleep(5_000);
      expect(deadlineFired).toBe(true);
    });

    it('should show what it prevents: unheld, the same I/O lets the deadline fire', async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });
      let deadlineFired = false;
      clock.setTimer(5_000, () => (deadlineFired = true));

      await realIo();

      expect(deadlineFired).toBe(true);
      expect(clock.now()).toBe(5_000);
    });

    it('should release the clock when the held work fails', async () => {
      const clock = new VirtualClock({ start: 0, autoAdvance: true });

      await expect(clock.hold(() => Promise.reject(new Error('connection reset')))).rejects.toThrow('connection reset');
      await clock.sleep(1_000);

      expect(clock.now()).toBe(1_000);
    });
  });
});
