import { createHash, timingSafeEqual } from 'node:crypto';

/** The result of {@link ApiKeyAuthenticator.authenticate}. */
export type Authentication =
  | { readonly ok: true; readonly merchantId: string }
  /**
   * `MISSING`: no Bearer credentials (no `Authorization` header, another scheme, or `Bearer` with
   * nothing after it); `MALFORMED`: a Bearer value that cannot be a key (over 512 characters,
   * spaces inside, characters outside printable ASCII); `INVALID`: a well-formed key that is not
   * configured.
   */
  | { readonly ok: false; readonly reason: 'MISSING' | 'MALFORMED' | 'INVALID' };

/** The Bearer scheme (any case) and whatever follows it, surrounding spaces aside. */
const BEARER = /^Bearer(?:[ \t]+(.*?))?[ \t]*$/is;
/** What a key can be: 1–512 printable ASCII characters without spaces (configured keys are at least 16). */
const KEY = /^[\x21-\x7e]{1,512}$/;

/**
 * Maps `Authorization: Bearer <api key>` to the merchant the key belongs to.
 *
 * Keys are compared in constant time: the presented key and every configured key are reduced to
 * SHA-256 digests (fixed length, so `timingSafeEqual` applies and the key's length does not leak)
 * and the presented digest is compared with **every** configured one, without stopping at a
 * match, so the time taken says nothing about which key, or how much of one, matched. Keys are
 * held only as digests and never logged.
 */
export class ApiKeyAuthenticator {
  private readonly entries: readonly { readonly digest: Buffer; readonly merchantId: string }[];

  /** @param keys API key → merchant id (see `AppConfig.apiKeys`). */
  constructor(keys: ReadonlyMap<string, string>) {
    this.entries = [...keys].map(([key, merchantId]) => ({ digest: digestOf(key), merchantId }));
  }

  /** How many keys are configured. */
  get size(): number {
    return this.entries.length;
  }

  /** Authenticates the value of an `Authorization` header. */
  authenticate(authorization: string | undefined): Authentication {
    if (authorization === undefined || authorization === '') return { ok: false, reason: 'MISSING' };
    const bearer = BEARER.exec(authorization);
    const value = bearer?.[1] ?? '';
    if (value === '') return { ok: false, reason: 'MISSING' };
    if (!KEY.test(value)) return { ok: false, reason: 'MALFORMED' };
    const presented = digestOf(value);
    let merchantId: string | undefined;
    for (const entry of this.entries) {
      // No early exit: every key is compared whatever the outcome.
      if (timingSafeEqual(presented, entry.digest)) merchantId = entry.merchantId;
    }
    return merchantId === undefined ? { ok: false, reason: 'INVALID' } : { ok: true, merchantId };
  }
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
