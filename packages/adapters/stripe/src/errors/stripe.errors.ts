import { AegisPayError, GatewayTransportError, InvalidOptionError, OptionChecks, type GatewayType, type InvalidOptionContext } from '@aegispay/domain';

/**
 * An option of the Stripe connector was rejected (`STRIPE.INVALID_OPTION`, an `InvalidOptionError`): a missing secret key, a
 * port out of range, a return URL that is not absolute. `field` names the option, so a misconfigured
 * connector fails when it is built, not on the first payment. Secret values never appear in the
 * message.
 */
export class InvalidStripeOptionError extends InvalidOptionError {
  constructor(option: string, problem: string, context: InvalidOptionContext = {}) {
    super('STRIPE.INVALID_OPTION', option, problem, context);
  }
}

/** @internal The option checks of a Stripe connector class (`owner`): every refusal is an {@link InvalidStripeOptionError}. */
export function stripeOptionChecks(owner: string): OptionChecks {
  return new OptionChecks('STRIPE.INVALID_OPTION', owner, (option, problem, context) => new InvalidStripeOptionError(option, problem, context));
}

/**
 * A charge or refund the connector refuses before sending it (`STRIPE.INVALID_REQUEST`): an amount
 * Stripe cannot express in the currency (three-decimal currencies need a last digit of 0), an empty
 * payment method token. Nothing was sent (`mayHaveBeenSent` is false); fix the caller.
 */
export class InvalidStripeRequestError extends GatewayTransportError {
  /** Path of the rejected field (`amount`, `paymentMethod.token`). */
  readonly field: string;

  constructor(gateway: GatewayType, field: string, message: string) {
    super(message, { gateway, mayHaveBeenSent: false, details: { field } }, 'STRIPE.INVALID_REQUEST');
    this.field = field;
  }
}

/**
 * Stripe refused a request because its idempotency key (our reference) was first used with other
 * parameters (`STRIPE.IDEMPOTENCY_CONFLICT`, Stripe's 400 `idempotency_error`). The first request
 * stands — it may have charged or refunded — and nothing new happened. A reference must name one
 * operation; this is a bug in the caller (or a change of `returnUrl` between a request and its
 * replay). Callers read it as "may have been sent", which is right: the first request may have been.
 */
export class StripeIdempotencyConflictError extends AegisPayError {
  /** The reference (idempotency key) that was reused. */
  readonly reference: string;

  constructor(gateway: GatewayType, operation: 'charge' | 'refund', reference: string, options?: ErrorOptions) {
    super(
      'STRIPE.IDEMPOTENCY_CONFLICT',
      `${gateway} already received a ${operation} with reference "${reference}" and other parameters; the first request ` +
        'stands and nothing new happened. Use a new reference for a new operation, and replay a request exactly as it was sent.',
      { ...(options?.cause === undefined ? {} : { cause: options.cause }), details: { gateway, operation, reference } },
    );
    this.reference = reference;
  }
}

/**
 * The connection to Stripe was refused or could not be opened (`GATEWAY.CONNECTION_REFUSED`):
 * nothing was sent, so the caller may try another gateway at once.
 */
export class StripeConnectionRefusedError extends GatewayTransportError {
  constructor(gateway: GatewayType, errno: string, options?: ErrorOptions) {
    super(
      `${gateway} could not be reached (${errno}); the request was not sent.`,
      { gateway, mayHaveBeenSent: false, details: { errno }, cause: options?.cause },
      'GATEWAY.CONNECTION_REFUSED',
    );
  }
}
