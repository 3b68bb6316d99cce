import { InvalidPaymentError } from './payment.errors';

/** A metadata value: a string, a finite number or a boolean. */
export type MetadataValue = string | number | boolean;

/**
 * Free-form, string-keyed data carried with a payment (`country`, `region`, order numbers).
 * Routing rules and hooks read `country` (ISO 3166-1 alpha-2) and `region` when present.
 */
export type PaymentMetadata = Readonly<Record<string, MetadataValue>>;

/** Limits on metadata, so one payment cannot bloat storage or logs. */
export const METADATA_LIMITS = Object.freeze({
  /** At most 50 keys. */
  maxKeys: 50,
  /** Keys of 1–40 characters. */
  maxKeyLength: 40,
  /** String values of at most 500 characters. */
  maxValueLength: 500,
});

const KEY_SHAPE = /^[A-Za-z0-9_.:-]+$/;

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL. U+0000 in
 * particular cannot be stored in PostgreSQL text, and none of them belongs in payment data.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Validates metadata and returns a frozen copy.
 * @throws InvalidPaymentError `PAYMENT.INVALID_METADATA` naming the offending key and the limit.
 */
export function validateMetadata(input: unknown, field = 'metadata'): PaymentMetadata {
  if (input === undefined) return Object.freeze({});
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidPaymentError('PAYMENT.INVALID_METADATA', field, `${field} must be an object of string keys to strings, numbers or booleans.`);
  }
  const entries = Object.entries(input);
  if (entries.length > METADATA_LIMITS.maxKeys) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_METADATA',
      field,
      `${field} has ${entries.length} keys; at most ${METADATA_LIMITS.maxKeys} are allowed.`,
    );
  }
  const copy: Record<string, MetadataValue> = {};
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > METADATA_LIMITS.maxKeyLength || !KEY_SHAPE.test(key)) {
      throw new InvalidPaymentError(
        'PAYMENT.INVALID_METADATA',
        field,
        `${field} keys must be 1–${METADATA_LIMITS.maxKeyLength} characters of letters, digits, "_", ".", ":" or "-".`,
      );
    }
    const path = `${field}.${key}`;
    if (typeof value === 'string') {
      if (CONTROL_CHARACTERS.test(value)) {
        throw new InvalidPaymentError('PAYMENT.INVALID_METADATA', path, `${path} contains a control character; send plain text.`);
      }
      if (value.length > METADATA_LIMITS.maxValueLength) {
        throw new InvalidPaymentError(
          'PAYMENT.INVALID_METADATA',
          path,
          `${path} is ${value.length} characters long; at most ${METADATA_LIMITS.maxValueLength} are allowed.`,
        );
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        throw new InvalidPaymentError('PAYMENT.INVALID_METADATA', path, `${path} must be a finite number.`);
      }
    } else if (typeof value !== 'boolean') {
      throw new InvalidPaymentError('PAYMENT.INVALID_METADATA', path, `${path} must be a string, a number or a boolean.`);
    }
    copy[key] = value;
  }
  return Object.freeze(copy);
}
