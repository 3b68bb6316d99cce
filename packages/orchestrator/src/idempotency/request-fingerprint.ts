import { createHash } from 'node:crypto';
import { canonicalJson } from '@aegispay/domain';

/**
 * The fingerprint of a request body: SHA-256 of its canonical JSON (keys sorted at every depth),
 * hex-encoded. Two bodies that are equal as JSON have one fingerprint whatever their key order;
 * any difference, however deeply nested, gives another.
 */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
