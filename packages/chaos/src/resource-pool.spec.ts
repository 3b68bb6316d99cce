import { FakeClock } from '@aegispay/domain/testing';
import { ResourcePool } from './resource-pool';

describe('ResourcePool', () => {
  describe('.acquire', () => {
    describe('when the pool is full', () => {
      it('should wait up to the timeout, then resolve false', async () => {
        const clock = new FakeClock();
        const pool = new ResourcePool(1, clock);
        expect(await pool.acquire(100)).toBe(true);
        let result: boolean | undefined;
        void pool.acquire(100).then((r) => (result = r));
        await clock.advance(99);
        expect(result).toBeUndefined();
        await clock.advance(1);
        expect(result).toBe(false);
        expect(pool.getStats()).toEqual({ size: 1, inUse: 1, waiting: 0, peakWaiting: 1, waits: 1 });
      });

      it('should fail at once with a zero timeout', async () => {
        const pool = new ResourcePool(1, new FakeClock());
        await pool.acquire(0);
        expect(await pool.acquire(0)).toBe(false);
      });

      it('should serve waiters in arrival order as connections are released', async () => {
        const clock = new FakeClock();
        const pool = new ResourcePool(1, clock);
        await pool.acquire(1_000);
        const order: string[] = [];
        const first = pool.acquire(1_000).then((ok) => order.push(`first:${ok}`));
        const second = pool.acquire(1_000).then((ok) => order.push(`second:${ok}`));
        pool.release();
        await first;
        pool.release();
        await second;
        expect(order).toEqual(['first:true', 'second:true']);
        expect(clock.pendingTimers()).toBe(0);
      });

      it('should reject with the reason when the caller aborts while waiting', async () => {
        const clock = new FakeClock();
        const pool = new ResourcePool(1, clock);
        await pool.acquire(1_000);
        const controller = new AbortController();
        const waiting = pool.acquire(1_000, controller.signal);
        controller.abort(new Error('gave up'));
        await expect(waiting).rejects.toThrow('gave up');
        expect(pool.getStats().waiting).toBe(0);
        expect(clock.pendingTimers()).toBe(0);
      });
    });
  });

  describe('.release', () => {
    describe('when nobody waits', () => {
      it('should free the connection', async () => {
        const pool = new ResourcePool(2, new FakeClock());
        await pool.acquire(0);
        await pool.acquire(0);
        pool.release();
        expect(pool.getStats().inUse).toBe(1);
        expect(await pool.acquire(0)).toBe(true);
      });
    });
  });
});
