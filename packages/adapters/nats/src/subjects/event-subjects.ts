import { OptionChecks } from '@aegispay/domain';

/** Characters kept as they are in a subject token: the ones NATS recommends. Everything else is escaped. */
const PLAIN = /^[A-Za-z0-9_-]$/;
/** A valid subject prefix: tokens of letters, digits, `_` and `-`, separated by single dots. */
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const checks = new OptionChecks('NATS.INVALID_OPTION', 'EventSubjects');

/**
 * Escapes a value (a merchant id, an event type) into one NATS subject token. Letters, digits, `_`
 * and `-` stay as they are; every other character — `.` (the token separator), `*` and `>` (the
 * wildcards), whitespace, `%`, `:`, anything beyond ASCII — becomes `%XX` for each of its UTF-8
 * bytes, in upper-case hex. `merchant.eu:42` → `merchant%2Eeu%3A42`. The escaping is a bijection:
 * two different values never share a token, and {@link decodeSubjectToken} gives the value back.
 *
 * @throws InvalidOptionError `NATS.INVALID_OPTION` for an empty value (a token cannot be empty).
 */
export function encodeSubjectToken(value: string): string {
  if (typeof value !== 'string' || value === '') throw checks.invalid('token', 'must be a non-empty string', value);
  let token = '';
  for (const character of value) {
    if (PLAIN.test(character)) token += character;
    else for (const byte of Buffer.from(character, 'utf8')) token += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return token;
}

/**
 * The value a token was escaped from ({@link encodeSubjectToken} reversed).
 * @throws InvalidOptionError `NATS.INVALID_OPTION` when the token is not a valid escaping.
 */
export function decodeSubjectToken(token: string): string {
  if (!/^([A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(token)) throw checks.invalid('token', 'must be letters, digits, "_", "-" and %XX escapes', token);
  try {
    return decodeURIComponent(token);
  } catch (error) {
    throw checks.invalid('token', `must escape UTF-8 (${error instanceof Error ? error.message : String(error)})`, token);
  }
}

/**
 * The subjects events are published on: `<prefix>.<merchant>.<EventType>`, each part escaped with
 * {@link encodeSubjectToken}, and the filters a consumer subscribes with.
 *
 * ```ts
 * const subjects = new EventSubjects('aegispay.events');
 * subjects.of('merchant_42', 'PaymentSucceeded'); // aegispay.events.merchant_42.PaymentSucceeded
 * subjects.forMerchant('merchant_42');            // aegispay.events.merchant_42.>
 * subjects.forType('PaymentSucceeded');           // aegispay.events.*.PaymentSucceeded
 * ```
 */
export class EventSubjects {
  /**
   * @param prefix Dot-separated tokens of letters, digits, `_` and `-`. Defaults to `aegispay.events`.
   * @throws InvalidOptionError `NATS.INVALID_OPTION` for a malformed prefix.
   */
  constructor(readonly prefix = 'aegispay.events') {
    if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
      throw checks.invalid('subjectPrefix', 'must be dot-separated tokens of letters, digits, "_" and "-" (no wildcards, no empty token)', prefix);
    }
  }

  /** The subject of one merchant's event of one type. */
  of(merchantId: string, eventType: string): string {
    return `${this.prefix}.${encodeSubjectToken(merchantId)}.${encodeSubjectToken(eventType)}`;
  }

  /** Every event: `<prefix>.>` (what the stream captures). */
  all(): string {
    return `${this.prefix}.>`;
  }

  /** Every event of one merchant: `<prefix>.<merchant>.>`. */
  forMerchant(merchantId: string): string {
    return `${this.prefix}.${encodeSubjectToken(merchantId)}.>`;
  }

  /** Every merchant's events of one type: `<prefix>.*.<EventType>`. */
  forType(eventType: string): string {
    return `${this.prefix}.*.${encodeSubjectToken(eventType)}`;
  }

  /** The merchant and event type a subject of these names, or `null` when it is not one. */
  parse(subject: string): { readonly merchantId: string; readonly eventType: string } | null {
    if (!subject.startsWith(`${this.prefix}.`)) return null;
    const tokens = subject.slice(this.prefix.length + 1).split('.');
    if (tokens.length !== 2) return null;
    try {
      return { merchantId: decodeSubjectToken(tokens[0] as string), eventType: decodeSubjectToken(tokens[1] as string) };
    } catch {
      return null;
    }
  }
}
