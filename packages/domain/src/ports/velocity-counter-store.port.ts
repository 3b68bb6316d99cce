/**
 * Counts events per key over a sliding time window: the storage behind the velocity fraud check
 * (`VelocityFraudCheck` of `@aegispay/hooks`, whose `InMemoryVelocityCounterStore` serves one
 * process). Several processes share a count through an implementation over Redis or SQL.
 */
export interface VelocityCounterStore {
  /**
   * Records the event `eventId` under `key` at `at` (epoch ms) — once: recording the same event
   * again within the window changes nothing — and returns how many distinct events `key` has in
   * the window `(at − windowMs, at]`, this one included.
   *
   * Must be atomic per key: two concurrent calls for one key never return the same count.
   * Should stop and reject when `signal` aborts (the check's time is up).
   */
  record(key: string, eventId: string, at: number, windowMs: number, signal?: AbortSignal): number | Promise<number>;
}
