import { Types } from '@adyen/api-library';
import type { ChargeRequest, GatewayType, RefundRequest } from '@aegispay/domain';
import { InvalidAdyenRequestError } from '../errors/adyen.errors';
import type { ResolvedAdyenGatewayOptions } from './adyen-gateway.options';

/** Adyen's limits on the fields the connector sends (Checkout API v72 and "API idempotency"). */
export const ADYEN_LIMITS = {
  /** `Idempotency-Key` header. */
  idempotencyKey: 64,
  /** `reference` of a payment or a modification. */
  reference: 80,
  /** `metadata` values; keys are at most 20 characters, at most 20 entries. */
  metadataValue: 80,
  /** `shopperReference`, at least 3 characters. */
  shopperReference: 256,
} as const;

/** A stored payment method as Adyen needs it: its id and the shopper it was stored for. */
export interface AdyenStoredPaymentMethod {
  readonly storedPaymentMethodId: string;
  readonly shopperReference: string;
}

/**
 * Reads a payment method token. AegisPay never holds card data: for Adyen a token is a stored
 * payment method, which Adyen only accepts together with the `shopperReference` it was stored
 * under. The token is either `"<shopperReference>:<storedPaymentMethodId>"` (split at the last
 * colon, since Adyen's ids have none) or a bare `"<storedPaymentMethodId>"`, in which case the
 * payment's `customerId` is the shopper reference.
 */
export function parseStoredPaymentMethod(gateway: GatewayType, token: string, customerId: string | undefined): AdyenStoredPaymentMethod {
  const colon = token.lastIndexOf(':');
  const storedPaymentMethodId = colon < 0 ? token : token.slice(colon + 1);
  const shopperReference = colon < 0 ? customerId : token.slice(0, colon);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(storedPaymentMethodId)) {
    throw new InvalidAdyenRequestError(gateway, 'paymentMethod.token', 'The payment method token names no Adyen stored payment method: expected "<shopperReference>:<storedPaymentMethodId>" or a storedPaymentMethodId with the payment\'s customerId.');
  }
  if (shopperReference === undefined || shopperReference.length < 3 || shopperReference.length > ADYEN_LIMITS.shopperReference) {
    throw new InvalidAdyenRequestError(gateway, 'customerId', `Adyen needs the shopperReference the payment method was stored for (3 to ${ADYEN_LIMITS.shopperReference} characters): put it in the token ("<shopperReference>:<storedPaymentMethodId>") or in the payment's customerId.`);
  }
  return { storedPaymentMethodId, shopperReference };
}

/** The Checkout `/payments` body of a charge: a stored card, merchant-initiated or one-click (`ContAuth`). */
export function paymentRequestOf(request: ChargeRequest, options: ResolvedAdyenGatewayOptions): Types.checkout.PaymentRequest {
  checkReference(options.name, 'reference', request.reference);
  const method = parseStoredPaymentMethod(options.name, request.paymentMethod.token, request.customerId);
  return {
    merchantAccount: options.merchantAccount,
    reference: request.reference,
    amount: { value: request.amount.amount, currency: request.amount.currencyCode },
    paymentMethod: { type: Types.checkout.CardDetails.TypeEnum.Scheme, storedPaymentMethodId: method.storedPaymentMethodId },
    shopperReference: method.shopperReference,
    shopperInteraction: Types.checkout.PaymentRequest.ShopperInteractionEnum.ContAuth,
    recurringProcessingModel: Types.checkout.PaymentRequest.RecurringProcessingModelEnum[options.recurringProcessingModel],
    returnUrl: options.returnUrl,
    metadata: metadataOf(options.name, { paymentId: request.paymentId, merchantId: request.merchantId }),
  };
}

/** The Checkout `/payments/{pspReference}/refunds` body of a refund. */
export function refundRequestOf(request: RefundRequest, options: ResolvedAdyenGatewayOptions): Types.checkout.PaymentRefundRequest {
  checkReference(options.name, 'reference', request.reference);
  if (!/^[A-Za-z0-9]{1,64}$/.test(request.chargeReference)) {
    throw new InvalidAdyenRequestError(options.name, 'chargeReference', 'The charge reference must be the pspReference Adyen gave the payment (letters and digits).');
  }
  return {
    merchantAccount: options.merchantAccount,
    reference: request.reference,
    amount: { value: request.amount.amount, currency: request.amount.currencyCode },
  };
}

function checkReference(gateway: GatewayType, field: string, reference: string): void {
  if (reference.length === 0 || reference.length > ADYEN_LIMITS.idempotencyKey) {
    throw new InvalidAdyenRequestError(gateway, field, `The reference is the Idempotency-Key, which Adyen takes up to ${ADYEN_LIMITS.idempotencyKey} characters (got ${reference.length}).`);
  }
}

function metadataOf(gateway: GatewayType, entries: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(entries)) {
    if (value.length > ADYEN_LIMITS.metadataValue) {
      throw new InvalidAdyenRequestError(gateway, key, `Adyen takes metadata values up to ${ADYEN_LIMITS.metadataValue} characters; ${key} has ${value.length}.`);
    }
  }
  return { ...entries };
}
