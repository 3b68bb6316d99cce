import { CONTROL_CHARACTERS, findCardNumber, METADATA_LIMITS, PAYMENT_METHOD_TYPES, type MetadataValue, type PaymentMethodType } from '@aegispay/domain';
import { z } from 'zod';
import { cardDataProblem } from './card-data.problem';
import { fieldPath } from './field-path';
import { ProblemError, type FieldError } from './problem-details';

const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,64}$/;
const METADATA_KEY = new RegExp(`^[A-Za-z0-9_.:-]{1,${METADATA_LIMITS.maxKeyLength}}$`);
const TOKEN = /^[\x21-\x7e]{1,256}$/;
const MAX_TEXT = 500;

/** Integer minor units from 1 to `Number.MAX_SAFE_INTEGER`: never a float, never a string. */
const minorUnits = z
  .number()
  // Before int(): its own range check would otherwise report first, in zod's words.
  .max(Number.MAX_SAFE_INTEGER, { error: `must be at most ${Number.MAX_SAFE_INTEGER} minor units` })
  .int()
  .min(1, { error: 'must be at least 1 minor unit' });

const plainText = z
  .string()
  .max(MAX_TEXT, { error: `must be at most ${MAX_TEXT} characters` })
  .refine((text) => !CONTROL_CHARACTERS.test(text), { error: 'must be plain text without control characters' });

/** The body of `POST /v1/payments`. The merchant comes from the API key and the idempotency key from its header: neither may be in the body. */
export const createPaymentBodySchema = z.strictObject({
  amount: minorUnits,
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code in capitals, such as "EUR"' }),
  paymentMethod: z.strictObject({
    type: z.enum(PAYMENT_METHOD_TYPES, { error: `must be one of ${PAYMENT_METHOD_TYPES.join(', ')}` }),
    token: z.string().regex(TOKEN, { error: 'must be the token your vault or gateway issued: 1–256 printable ASCII characters, no spaces' }),
  }),
  customerId: z.string().regex(IDENTIFIER, { error: 'must be 1–64 letters, digits, "_", ".", ":" or "-"' }).exactOptional(),
  description: plainText.exactOptional(),
  metadata: z
    .record(
      z.string().regex(METADATA_KEY, { error: `keys must be 1–${METADATA_LIMITS.maxKeyLength} letters, digits, "_", ".", ":" or "-"` }),
      z.union([z.string().max(METADATA_LIMITS.maxValueLength, { error: `must be at most ${METADATA_LIMITS.maxValueLength} characters` }), z.number(), z.boolean()], {
        error: 'must be a string, a number or a boolean',
      }),
    )
    .refine((metadata) => Object.keys(metadata).length <= METADATA_LIMITS.maxKeys, { error: `must have at most ${METADATA_LIMITS.maxKeys} keys` })
    .exactOptional(),
}) satisfies z.ZodType<CreatePaymentBody>;

/** A validated `POST /v1/payments` body. */
export interface CreatePaymentBody {
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethod: { readonly type: PaymentMethodType; readonly token: string };
  readonly customerId?: string;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** The body of `POST /v1/payments/:id/refunds`; an empty body refunds everything still refundable. */
export const refundBodySchema = z.strictObject({
  amount: minorUnits.exactOptional(),
  reason: plainText.min(1, { error: 'must not be empty' }).exactOptional(),
}) satisfies z.ZodType<RefundBody>;

/** The problem of a payment request without a body. */
export function bodyRequired(): ProblemError {
  return new ProblemError(400, 'REQUEST.BODY_REQUIRED', 'Send the payment as a JSON object: {"amount": 1999, "currency": "EUR", "paymentMethod": {"type": "CARD", "token": "tok_…"}}.');
}

/** A validated refund body. */
export interface RefundBody {
  readonly amount?: number;
  readonly reason?: string;
}

/** Fields people put in a body that belong elsewhere in this API. */
const MISPLACED: Readonly<Record<string, string>> = {
  merchantId: 'the merchant is the one your API key belongs to',
  idempotencyKey: 'send it in the Idempotency-Key header',
  idempotency_key: 'send it in the Idempotency-Key header',
};

const MAX_REPORTED_ERRORS = 20;

/**
 * Checks a parsed body: card data first, anywhere (field values, keys, nested), so that no later
 * message can quote it; then the schema, every problem reported with its field.
 *
 * @throws ProblemError 400 `PAYMENT.CARD_DATA_DETECTED` or `REQUEST.VALIDATION_FAILED`.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const cardField = findCardNumber(body);
  if (cardField !== undefined) throw cardDataProblem(cardField);
  const prototypeKey = findPrototypeKey(body);
  if (prototypeKey !== undefined) {
    const error = { field: prototypeKey, code: 'REQUEST.UNKNOWN_FIELD', message: `${prototypeKey} is not a field of this request.` };
    throw new ProblemError(400, 'REQUEST.VALIDATION_FAILED', `The request body is invalid: ${error.message}`, { errors: [error] });
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error.issues);
  throw new ProblemError(400, 'REQUEST.VALIDATION_FAILED', `The request body is invalid: ${errors.map((error) => error.message).join(' ')}`.slice(0, 1_000), {
    errors,
  });
}

/**
 * The path of the first `__proto__` key at any depth. Objects built from such a body (zod's
 * output included) drop it silently, so the payment would be stored without what was sent.
 */
function findPrototypeKey(value: unknown, path: readonly PropertyKey[] = []): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === '__proto__' && !Array.isArray(value)) return fieldPath(childPath);
    const found = findPrototypeKey(child, childPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Zod issues as field errors with stable codes and messages that name the field and never echo a value. */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (error: FieldError): void => {
    const id = `${error.field} ${error.code}`;
    if (!seen.has(id) && errors.length < MAX_REPORTED_ERRORS) {
      seen.add(id);
      errors.push(error);
    }
  };
  for (const issue of issues) {
    const field = fieldPath(issue.path);
    const name = field === '' ? 'The body' : field;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const unknown = fieldPath([...issue.path, key]);
          const hint = issue.path.length === 0 ? MISPLACED[key] : undefined;
          add({ field: unknown, code: 'REQUEST.UNKNOWN_FIELD', message: `${unknown} is not a field of this request${hint === undefined ? '' : `: ${hint}`}.` });
        }
        break;
      case 'invalid_type':
        if (issue.input === undefined) add({ field, code: 'REQUEST.FIELD_REQUIRED', message: `${name} is required.` });
        else if (issue.expected === 'int') add({ field, code: 'REQUEST.NOT_AN_INTEGER', message: `${name} must be a whole number of minor units (1999 for 19.99 EUR), not a decimal.` });
        else if (typeof issue.input === 'number') add({ field, code: 'REQUEST.OUT_OF_RANGE', message: `${name} must be a finite number.` });
        else add({ field, code: 'REQUEST.INVALID_TYPE', message: `${name} must be ${describeType(issue.expected)}.` });
        break;
      case 'invalid_key':
        add({ field, code: 'REQUEST.INVALID_FORMAT', message: `${fieldPath(issue.path.slice(0, -1))} ${issue.issues[0]?.message ?? 'has an invalid key'}.` });
        break;
      case 'invalid_union':
        add({ field, code: 'REQUEST.INVALID_TYPE', message: `${name} ${issue.message}.` });
        break;
      case 'too_big':
      case 'too_small':
        add({ field, code: 'REQUEST.OUT_OF_RANGE', message: `${name} ${issue.message}.` });
        break;
      case 'invalid_format':
        add({ field, code: 'REQUEST.INVALID_FORMAT', message: `${name} ${issue.message}.` });
        break;
      default:
        add({ field, code: 'REQUEST.INVALID_VALUE', message: `${name} ${issue.message}.` });
    }
  }
  return errors;
}

function describeType(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a JSON object';
  return `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}
