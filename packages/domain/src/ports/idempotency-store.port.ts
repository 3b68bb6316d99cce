import type { JsonValue } from '../json/json';

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
  | { readonly status: 'COMPLETED'; readonly response: JsonValue };

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
   * Stores the response of the owned key; later `begin` calls replay it.
   * @throws IdempotencyKeyNotInProgressError when the key is not in progress (never begun, already
   * completed or released, or expired and taken over).
   */
  complete(merchantId: string, key: string, response: JsonValue): Promise<void>;
  /**
   * Gives an owned key up without a response (nothing happened), so a retry can start afresh.
   * @throws IdempotencyKeyNotInProgressError when the key is not in progress.
   */
  release(merchantId: string, key: string): Promise<void>;
}
