/**
 * How long an idempotency key is kept when nobody says: 24 hours (86 400 000 ms), the window
 * within which a client may retry a request. The default of every `IdempotencyStore`.
 */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 86_400_000;

/** Options of {@link IdempotencyStore.begin}. */
export interface IdempotencyBeginOptions {
  /** How long the record is kept after it was created. Defaults to the store's default, {@link DEFAULT_IDEMPOTENCY_TTL_MS}. */
  readonly ttlMs?: number;
}

/** Result of {@link IdempotencyStore.begin}. */
export type IdempotencyBeginResult =
  /** This caller now owns the key and must `complete` or `release` it. */
  | { readonly status: 'STARTED' }
  /** Another request with this key is still running. */
  | { readonly status: 'IN_PROGRESS' }
  /** A request with this key and the same fingerprint already finished: replay its response. */
  | { readonly status: 'COMPLETED'; readonly response: unknown };

/** Result of {@link IdempotencyStore.peek}: what `begin` would answer, or `null` when it would start the key. */
export type IdempotencyPeekResult = Exclude<IdempotencyBeginResult, { readonly status: 'STARTED' }> | null;

/**
 * Idempotency keys per merchant. `begin` is atomic across processes (a unique constraint, not a
 * prior read): of two concurrent requests with one key exactly one gets `STARTED`.
 */
export interface IdempotencyStore {
  /**
   * Claims `(merchantId, key)` for a request whose canonical fingerprint is `fingerprint`.
   * @throws IdempotencyKeyReuseError when the key was used with a different fingerprint.
   */
  begin(merchantId: string, key: string, fingerprint: string, options?: IdempotencyBeginOptions): Promise<IdempotencyBeginResult>;
  /**
   * What `(merchantId, key)` holds now, without claiming it: `null` when `begin` would start it (the
   * key was never used, expired, or may be taken over), otherwise what `begin` would answer. Lets a
   * caller answer a replay before doing work that must not be repeated, while the claim itself
   * stays atomic in `begin`.
   * @throws IdempotencyKeyReuseError when the key holds a request with a different fingerprint.
   */
  peek(merchantId: string, key: string, fingerprint: string): Promise<IdempotencyPeekResult>;
  /**
   * Stores the response of the owned key; later `begin` calls replay it. `response` is JSON data
   * (what `JSON.stringify` keeps: plain objects, arrays, strings, finite numbers, booleans, null);
   * it is stored as data and handed back as a copy, so readers check its shape before trusting it.
   * @throws IdempotencyKeyNotInProgressError when the key is not in progress (never begun, already
   * completed or released, or expired and taken over).
   */
  complete(merchantId: string, key: string, response: unknown): Promise<void>;
  /**
   * Gives an owned key up without a response (nothing happened), so a retry can start afresh.
   * @throws IdempotencyKeyNotInProgressError when the key is not in progress.
   */
  release(merchantId: string, key: string): Promise<void>;
  /**
   * Deletes up to `limit` expired keys, oldest expiry first, and returns how many. Expiry is judged
   * as `begin` judges it (the store's clock), and an expired key may be claimed again anyway:
   * purging only gives the space back. A key claimed again while it is being purged is kept. One
   * bounded statement per call, for a retention job that calls again while the answer is `limit`.
   */
  purgeExpired(limit: number): Promise<number>;
}
