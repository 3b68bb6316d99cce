/** The kinds of payment method AegisPay routes (routing rules may use them). */
export const PAYMENT_METHOD_TYPES = ['CARD', 'UPI', 'NET_BANKING', 'WALLET', 'PAY_LATER', 'BANK_TRANSFER'] as const;

/** A kind of payment method. */
export type PaymentMethodType = (typeof PAYMENT_METHOD_TYPES)[number];

/**
 * How the customer pays: a method type and an opaque token issued by a vault or gateway.
 * Never a card number or a CVV.
 */
export interface PaymentMethod {
  readonly type: PaymentMethodType;
  readonly token: string;
}

/** True when `value` is one of {@link PAYMENT_METHOD_TYPES}. */
export function isPaymentMethodType(value: unknown): value is PaymentMethodType {
  return typeof value === 'string' && (PAYMENT_METHOD_TYPES as readonly string[]).includes(value);
}
