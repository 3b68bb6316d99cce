import fc from 'fast-check';

import { InMemoryVelocityCounterStore } from './in-memory-velocity-counter.store';

describe(InMemoryVelocityCounterStore, () => {
  describe('.record', () => {
    describe('when events arrive in time order', () => {
      it('should return the number of distinct events in (at − window, at], for any sequence', () => {
        const steps = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 40 }), key: fc.constantFrom('a', 'b'), id: fc.integer({ min: 0, max: 15 }) }), {
          maxLength: 60,
        });
        fc.assert(
          fc.property(steps, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 7 }), (list, windowMs, sweepEvery) => {
            const store = new InMemoryVelocityCounterStore({ sweepEvery });
            const firstSeen = new Map<string, number>();
            let now = 0;
            for (const { gap, key, id } of list) {
              now += gap;
              const eventKey = `${key}/${id}`;
              const seen = firstSeen.get(eventKey);
              if (seen === undefined || seen <= now - windowMs) firstSeen.set(eventKey, now);
              const expected = [...firstSeen].filter(([k, at]) => k.startsWith(`${key}/`) && at > now - windowMs).length;

              expect(store.record(key, String(id), now, windowMs)).toBe(expected);
            }
          }),
        );
      });
    });

    describe('when the same event is recorded twice within the window', () => {
      it('should count it once', () => {
        const store = new InMemoryVelocityCounterStore();

        expect([store.record('k', 'e1', 0, 100), store.record('k', 'e1', 50, 100), store.record('k', 'e2', 60, 100)]).toEqual([1, 1, 2]);
        expect(store.count('k', 60, 100)).toBe(2);
      });
    });

    describe('when checks with different windows share the store', () => {
      it('should count every event of each window, whatever the other window prunes', () => {
        const store = new InMemoryVelocityCounterStore();
        const counts: [number, number][] = [];
        for (let i = 0; i < 5; i += 1) {
          counts.push([store.record('merchant:m', `pay_${i}`, i * 20_000, 3_600_000), store.record('merchant:m', `pay_${i}`, i * 20_000, 60_000)]);
        }

        expect(counts).toEqual([
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 3],
          [5, 3],
        ]);
        expect(store.count('merchant:m', 80_000, 3_600_000)).toBe(5);
      });
    });

    describe('when keys fall idle', () => {
      it('should sweep them out so memory does not grow with every key ever seen', () => {
        const store = new InMemoryVelocityCounterStore({ sweepEvery: 10 });
        for (let i = 0; i < 9; i += 1) store.record(`customer-${i}`, 'e', 0, 100);
        expect(store.keyCount).toBe(9);

        store.record('fresh', 'e', 1_000, 100);

        expect(store.keyCount).toBe(1);
      });
    });
  });

  describe('constructor', () => {
    it.each([0, 2.5, Number.NaN])('should refuse sweepEvery %p, which would never sweep or sweep at random', (sweepEvery) => {
      expect(() => new InMemoryVelocityCounterStore({ sweepEvery })).toThrow(expect.objectContaining({ code: 'HOOK.INVALID_OPTION', field: 'sweepEvery' }) as Error);
    });
  });

  describe('.clear', () => {
    it('should forget every key', () => {
      const store = new InMemoryVelocityCounterStore();
      store.record('k', 'e', 0, 10);

      store.clear();

      expect([store.keyCount, store.count('k', 0, 10)]).toEqual([0, 0]);
    });
  });
});
