import { containsCardNumber } from '@aegispay/domain';
import { ProblemError } from './problem-details';

/** Printable ASCII without spaces, 1–255 characters: what the payment and refund records accept. */
const KEY = /^[\x21-\x7e]{1,255}$/;
/** An RFC 8941 sf-string: printable ASCII in double quotes, with `\"` and `\\` escapes. */
const SF_STRING = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/**
 * The key of an `Idempotency-Key` header (IETF draft httpapi-idempotency-key-header). The draft
 * makes the value a structured-field string (`Idempotency-Key: "8e03978e-40d5-43e8"`); the bare
 * form most clients send (`Idempotency-Key: 8e03978e-40d5-43e8`) is accepted as the same key.
 *
 * @throws ProblemError 400 `IDEMPOTENCY.KEY_MISSING`, `IDEMPOTENCY.KEY_INVALID`, or
 *   `PAYMENT.CARD_DATA_DETECTED` (a key that looks like a card number is never stored).
 */
export function parseIdempotencyKey(header: string | readonly string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new ProblemError(
      400,
      'IDEMPOTENCY.KEY_MISSING',
      'This request needs an Idempotency-Key header: a unique value per operation (a UUID, for example), sent again unchanged when you retry it.',
      { errors: [{ field: 'header:Idempotency-Key', code: 'IDEMPOTENCY.KEY_MISSING', message: 'The Idempotency-Key header is required on POST requests.' }] },
    );
  }
  const raw = typeof header === 'string' ? header.trim() : '';
  const quoted = SF_STRING.exec(raw);
  const key = quoted === null ? raw : (quoted[1] as string).replace(/\\(["\\])/g, '$1');
  // A value opening a quote must be a whole sf-string: `"abc` is a broken one, not a bare key.
  if (!KEY.test(key) || (quoted === null && raw.startsWith('"'))) {
    throw new ProblemError(400, 'IDEMPOTENCY.KEY_INVALID', 'The Idempotency-Key must be 1–255 printable ASCII characters without spaces, sent once (optionally in double quotes).', {
      errors: [{ field: 'header:Idempotency-Key', code: 'IDEMPOTENCY.KEY_INVALID', message: 'Use 1–255 printable ASCII characters without spaces, such as a UUID.' }],
    });
  }
  if (containsCardNumber(key)) {
    throw new ProblemError(
      400,
      'PAYMENT.CARD_DATA_DETECTED',
      'The Idempotency-Key header contains what looks like a card number. AegisPay never accepts raw card data: use a random value such as a UUID (nothing was stored or logged).',
      { errors: [{ field: 'header:Idempotency-Key', code: 'PAYMENT.CARD_DATA_DETECTED', message: 'The Idempotency-Key looks like a card number.' }] },
    );
  }
  return key;
}
