import type { FakeClock } from '@aegispay/domain/testing';

/** A promise observed without awaiting it, so a test can check its state at each instant of a fake clock. */
export interface Observed<T> {
  readonly state: 'pending' | 'fulfilled' | 'rejected';
  readonly value: T | undefined;
  readonly reason: unknown;
}

/** Observes `promise` (and handles its rejection at once, so moving a fake clock never reports it unhandled). */
export function observe<T>(promise: Promise<T>): Observed<T> {
  const observed: { state: Observed<T>['state']; value: T | undefined; reason: unknown } = {
    state: 'pending',
    value: undefined,
    reason: undefined,
  };
  promise.then(
    (value) => {
      observed.state = 'fulfilled';
      observed.value = value;
    },
    (reason: unknown) => {
      observed.state = 'rejected';
      observed.reason = reason;
    },
  );
  return observed;
}

/** Moves `clock` by `ms` (default 10 s) and returns what `promise` settled with: for calls that wait on the clock. */
export async function settle<T>(clock: FakeClock, promise: Promise<T>, ms = 10_000): Promise<T> {
  const observed = observe(promise);
  await clock.advance(ms);
  if (observed.state === 'pending') throw new Error(`still pending after ${ms} ms of the fake clock`);
  return promise;
}
