import { assertMinorUnits } from '../money/money';
import { currencyOf } from '../money/currency';
import { findCardNumber } from './card-number-finder';
import { CONTROL_CHARACTERS, validateMetadata, type MetadataValue, type PaymentMetadata } from './payment-metadata';
import { isPaymentMethodType, PAYMENT_METHOD_TYPES, type PaymentMethod } from './payment-method';
import { CardDataDetectedError, InvalidPaymentError } from './payment.errors';

/** What a merchant supplies to create a payment. */
export interface CreatePaymentInput {
  /** The merchant the payment belongs to: 1–64 characters of letters, digits, `_ . : -`. */
  readonly merchantId: string;
  /** Integer minor units, greater than zero (1999 = 19.99 EUR). */
  readonly amount: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
  /** A method type and a vault token; never a card number. */
  readonly paymentMethod: PaymentMethod;
  /** 1–64 characters of letters, digits, `_ . : -`. */
  readonly customerId?: string;
  /** At most 500 characters. */
  readonly description?: string;
  /** 1–255 printable ASCII characters, unique per merchant. */
  readonly idempotencyKey?: string;
  /** See {@link validateMetadata} for the limits. */
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** A {@link CreatePaymentInput} that passed every check, normalised. */
export interface ValidPaymentInput {
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: PaymentMethod;
  readonly customerId: string | null;
  readonly description: string | null;
  readonly idempotencyKey: string | null;
  readonly metadata: PaymentMetadata;
}

const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const TOKEN = /^[\x21-\x7e]{1,256}$/;
/** The longest description or refund reason, in characters. */
export const MAX_TEXT_LENGTH = 500;
const INPUT_FIELDS = new Set(['merchantId', 'amount', 'currency', 'paymentMethod', 'customerId', 'description', 'idempotencyKey', 'metadata']);

/**
 * Checks a merchant's request: card data first (the digits are never echoed), then every field.
 * @throws CardDataDetectedError, InvalidPaymentError, InvalidAmountError, InvalidCurrencyError naming the bad field.
 */
export function validatePaymentInput(input: CreatePaymentInput): ValidPaymentInput {
  const cardField = findCardNumber(input);
  if (cardField !== undefined) throw new CardDataDetectedError(cardField);
  if (typeof input !== 'object' || input === null) {
    throw new InvalidPaymentError('PAYMENT.INVALID_INPUT', '', 'A payment request must be an object.');
  }
  for (const key of Object.keys(input)) {
    if (!INPUT_FIELDS.has(key)) {
      throw new InvalidPaymentError('PAYMENT.UNKNOWN_FIELD', key, `Unknown field "${key.slice(0, 40)}" in the payment request.`);
    }
  }
  const merchantId = requireIdentifier(input.merchantId, 'merchantId');
  const amount = assertMinorUnits(input.amount);
  if (amount === 0) throw new InvalidPaymentError('PAYMENT.INVALID_AMOUNT', 'amount', 'amount must be greater than zero.');
  return {
    merchantId,
    amount,
    currency: currencyOf(input.currency).code,
    paymentMethod: requirePaymentMethod(input.paymentMethod),
    customerId: input.customerId === undefined ? null : requireIdentifier(input.customerId, 'customerId'),
    description: input.description === undefined ? null : requireText(input.description, 'description', 'PAYMENT.INVALID_DESCRIPTION'),
    idempotencyKey: input.idempotencyKey === undefined ? null : requireIdempotencyKey(input.idempotencyKey),
    metadata: validateMetadata(input.metadata),
  };
}

/** @throws InvalidPaymentError `PAYMENT.INVALID_IDEMPOTENCY_KEY` unless 1–255 printable ASCII characters without spaces. */
export function requireIdempotencyKey(value: unknown, field = 'idempotencyKey'): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw new InvalidPaymentError('PAYMENT.INVALID_IDEMPOTENCY_KEY', field, `${field} must be 1–255 printable ASCII characters without spaces.`);
  }
  return value;
}

/** @throws InvalidPaymentError with `code` unless plain text (no control characters) of at most 500 characters. */
export function requireText(value: unknown, field: string, code: string): string {
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH || CONTROL_CHARACTERS.test(value)) {
    throw new InvalidPaymentError(code, field, `${field} must be plain text (no control characters) of at most ${MAX_TEXT_LENGTH} characters.`);
  }
  return value;
}

function requireIdentifier(value: unknown, field: 'merchantId' | 'customerId'): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new InvalidPaymentError(
      `PAYMENT.INVALID_${field === 'merchantId' ? 'MERCHANT_ID' : 'CUSTOMER_ID'}`,
      field,
      `${field} must be 1–64 characters of letters, digits, "_", ".", ":" or "-".`,
    );
  }
  return value;
}

function requirePaymentMethod(value: unknown): PaymentMethod {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidPaymentError('PAYMENT.INVALID_PAYMENT_METHOD', 'paymentMethod', 'paymentMethod must be an object { type, token }.');
  }
  const { type, token, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw new InvalidPaymentError(
      'PAYMENT.UNKNOWN_FIELD',
      `paymentMethod.${extra.slice(0, 40)}`,
      `Unknown field "${extra.slice(0, 40)}" in paymentMethod; only type and token are accepted (never card data).`,
    );
  }
  if (!isPaymentMethodType(type)) {
    throw new InvalidPaymentError('PAYMENT.INVALID_PAYMENT_METHOD', 'paymentMethod.type', `paymentMethod.type must be one of ${PAYMENT_METHOD_TYPES.join(', ')}.`);
  }
  if (typeof token !== 'string' || !TOKEN.test(token)) {
    throw new InvalidPaymentError(
      'PAYMENT.INVALID_PAYMENT_METHOD',
      'paymentMethod.token',
      'paymentMethod.token must be 1–256 printable ASCII characters: the token your vault or gateway issued.',
    );
  }
  return Object.freeze({ type, token });
}
