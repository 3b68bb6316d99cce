import { isCurrencyCode, isPaymentMethodType, type MetadataValue, type Payment, type PaymentMethodType } from '@aegispay/domain';
import { InvalidRoutingRequestError } from '../errors/routing.errors';
import { segmentKey, type RoutingSegment } from '../metrics/segment-evidence';

/**
 * What routing needs to know about a payment, without the payment itself: its amount, currency
 * and method, and the facts that tell payments apart (card network, issuer country, merchant).
 * `selectGateway` accepts this or a domain `Payment`.
 */
export interface RoutingRequest {
  /** Amount in minor units: a positive safe integer. */
  readonly amount: number;
  /** ISO 4217 code, upper case (`EUR`). */
  readonly currency: string;
  /** The kind of payment method (`CARD`, `UPI`, …). */
  readonly paymentMethodType: PaymentMethodType;
  /** Card network, when known (`VISA`, `MASTERCARD`, …). */
  readonly cardNetwork?: string;
  /** ISO 3166 alpha-2 code of the card issuer's country, when known (`DE`). */
  readonly issuerCountry?: string;
  /** The merchant, when routing should tell merchants apart. */
  readonly merchantId?: string;
  /** An identifier quoted in errors; defaults to none. */
  readonly id?: string;
}

/**
 * The payment a routing rule's condition and choice receive: a domain `Payment` as given, or the
 * view of a {@link RoutingRequest} (`paymentMethod.type` is its method, `metadata.country` its
 * issuer country, `merchantId` its merchant or `undefined`, `id` its id or `''`). A `Payment` has
 * every field, so rules written against payments keep working.
 */
export interface RoutedPayment {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly merchantId: string | undefined;
  readonly paymentMethod: { readonly type: PaymentMethodType };
  readonly metadata: Readonly<Record<string, MetadataValue>>;
}

/** @internal What one decision reads of the payment, either kind. */
export interface RoutingFacts {
  readonly payment: RoutedPayment;
  readonly amount: number;
  readonly currency: string;
  readonly paymentMethodType: PaymentMethodType;
  /** The key of the payment's segment and amount band, as the collector keeps evidence. */
  readonly segmentKey: string;
}

/**
 * @internal Tells a `Payment` from a {@link RoutingRequest} by shape (a payment has a
 * `paymentMethod` object, a request a `paymentMethodType`) and checks a request.
 * @throws InvalidRoutingRequestError `ROUTING.INVALID_REQUEST`, naming the field, for anything else.
 */
export function routingFacts(input: Payment | RoutingRequest): RoutingFacts {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidRoutingRequestError('', `must be a Payment or a routing request { amount, currency, paymentMethodType }, got ${describe(input)}`);
  }
  const method = (input as Partial<Payment>).paymentMethod;
  if (typeof method === 'object' && method !== null && typeof (input as Partial<Payment>).id === 'string') {
    const payment = input as Payment;
    const segment = routingSegmentOf(payment);
    return { payment, amount: payment.amount, currency: payment.currency, paymentMethodType: segment.paymentMethodType, segmentKey: segmentKey(segment, payment.amount) };
  }
  if (!('paymentMethodType' in input)) {
    throw new InvalidRoutingRequestError(
      'paymentMethodType',
      'is missing: selectGateway takes a Payment or a routing request { amount, currency, paymentMethodType, cardNetwork?, issuerCountry?, merchantId? }',
    );
  }
  return requestFacts(input);
}

function requestFacts(request: RoutingRequest): RoutingFacts {
  const { amount, currency, paymentMethodType, cardNetwork, issuerCountry, merchantId, id } = request;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new InvalidRoutingRequestError('amount', `must be a positive safe integer of minor units, got ${describe(amount)}`);
  }
  if (!isCurrencyCode(currency)) {
    throw new InvalidRoutingRequestError('currency', `must be an ISO 4217 code such as "EUR" (upper case), got ${describe(currency)}`);
  }
  if (!isPaymentMethodType(paymentMethodType)) {
    throw new InvalidRoutingRequestError('paymentMethodType', `must be a payment method type such as "CARD", got ${describe(paymentMethodType)}`);
  }
  optionalName('cardNetwork', cardNetwork);
  optionalName('merchantId', merchantId);
  optionalName('id', id);
  if (issuerCountry !== undefined && (typeof issuerCountry !== 'string' || !/^[A-Z]{2}$/.test(issuerCountry))) {
    throw new InvalidRoutingRequestError('issuerCountry', `must be an ISO 3166 alpha-2 code such as "DE", got ${describe(issuerCountry)}`);
  }
  const payment: RoutedPayment = {
    id: id ?? '',
    amount,
    currency,
    merchantId,
    paymentMethod: { type: paymentMethodType },
    metadata: issuerCountry === undefined ? {} : { country: issuerCountry },
  };
  return { payment, amount, currency, paymentMethodType, segmentKey: segmentKey(request, amount) };
}

/**
 * The segment `selectGateway` reads for `payment`: its currency, method type and merchant, and
 * `metadata.cardNetwork` / `metadata.country` (upper-cased) when well formed (other values are left out). Record the
 * payment's outcomes with it (`GatewayAttemptOutcome.segment`) so that routing learns per segment.
 */
export function routingSegmentOf(payment: Payment): RoutingSegment {
  return {
    currency: payment.currency,
    paymentMethodType: payment.paymentMethod.type,
    merchantId: payment.merchantId,
    ...optionalFact('cardNetwork', payment.metadata['cardNetwork']),
    ...optionalFact('issuerCountry', payment.metadata['country']),
  };
}

/**
 * A `Payment`'s segment fact from its metadata, upper-cased, when it is a well-formed one (a
 * country of two letters, a network of 1–100 characters); otherwise none, so that recording an
 * outcome with the segment never fails on a payment's metadata.
 */
function optionalFact(field: 'cardNetwork' | 'issuerCountry', value: unknown): Partial<RoutingSegment> {
  if (typeof value !== 'string') return {};
  const fact = value.toUpperCase();
  const wellFormed = field === 'issuerCountry' ? /^[A-Z]{2}$/.test(fact) : fact.length > 0 && fact.length <= 100;
  return wellFormed ? { [field]: fact } : {};
}

function optionalName(field: keyof RoutingRequest, value: unknown): void {
  if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 100)) {
    throw new InvalidRoutingRequestError(field, `must be a string of 1–100 characters when given, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
