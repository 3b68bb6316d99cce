import { GatewayTransportError, InvalidOptionError, OptionChecks, type GatewayType, type InvalidOptionContext } from '@aegispay/domain';

/**
 * An option of the Adyen connector was rejected (`ADYEN.INVALID_OPTION`): an
 * {@link InvalidOptionError} whose `field` names the option (`merchantAccount`, `baseUrl`,
 * `hmacKey`) and whose message says what a valid value looks like. Thrown at construction, so a
 * misconfigured connector never takes a payment. Never echoes a secret.
 */
export class InvalidAdyenOptionError extends InvalidOptionError {
  constructor(field: string, problem: string, context: InvalidOptionContext = {}) {
    super('ADYEN.INVALID_OPTION', field, problem, context);
  }
}

/** @internal The option checks of an Adyen connector class (`owner`): every refusal is an {@link InvalidAdyenOptionError}. */
export function adyenOptionChecks(owner: string): OptionChecks {
  return new OptionChecks('ADYEN.INVALID_OPTION', owner, (option, problem, context) => new InvalidAdyenOptionError(option, problem, context));
}

/**
 * A charge or refund cannot be sent to Adyen as it stands (`ADYEN.INVALID_REQUEST`): a token that
 * names no stored payment method, no shopper reference, a reference longer than Adyen accepts, a
 * deadline already past. Nothing was sent (`mayHaveBeenSent` is false), so the caller may try
 * another gateway at once; `field` names what to fix.
 */
export class InvalidAdyenRequestError extends GatewayTransportError {
  /** Path of the offending field of the request. */
  readonly field: string;

  constructor(gateway: GatewayType, field: string, message: string) {
    super(message, { gateway, mayHaveBeenSent: false, details: { field } }, 'ADYEN.INVALID_REQUEST');
    this.field = field;
  }
}

/** Why an Adyen call failed in transport (see {@link AdyenConnectionError}). */
export type AdyenConnectionFailure =
  /** No connection could be made (refused, unknown host, connect timeout): nothing was sent. */
  | 'CONNECTION_FAILED'
  /** The caller's signal aborted the call. */
  | 'ABORTED';

/**
 * An Adyen call failed before any answer (`ADYEN.CONNECTION_FAILED`, `ADYEN.ABORTED`).
 * `mayHaveBeenSent` is false only when no connection to Adyen was ever made; an abort after the
 * request left is true, and its outcome must be resolved with `getStatus`.
 */
export class AdyenConnectionError extends GatewayTransportError {
  /** What went wrong. */
  readonly failure: AdyenConnectionFailure;

  constructor(gateway: GatewayType, failure: AdyenConnectionFailure, mayHaveBeenSent: boolean, message: string, cause?: unknown) {
    super(message, { gateway, mayHaveBeenSent, cause, details: { failure } }, `ADYEN.${failure}`);
    this.failure = failure;
  }
}
