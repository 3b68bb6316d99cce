import { VirtualClock, type VirtualClockOptions } from '../system/virtual-clock';

/**
 * The clock for tests: starts at 2026-01-01T00:00:00Z (or `start`) and moves only when the test
 * says so. `await clock.advance(ms)` fires due timers in order; `clock.set(epochMs)` jumps.
 */
export class FakeClock extends VirtualClock {
  constructor(start?: number | VirtualClockOptions) {
    super(typeof start === 'number' ? { start } : (start ?? {}));
  }
}
