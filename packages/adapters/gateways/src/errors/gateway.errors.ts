import { AegisPayError, GatewayTransportError } from '@aegispay/domain';

/**
 * A charge, refund or status request is malformed (`GATEWAY.INVALID_REQUEST`): an amount of zero,
 * an empty reference, a missing payment method. `field` names the offending field. Nothing was
 * sent to the gateway (`mayHaveBeenSent` is false, so an orchestrator may try elsewhere at once);
 * fix the caller.
 */
export class InvalidGatewayRequestError extends GatewayTransportError {
  /** Path of the malformed field; empty when the request as a whole is malformed. */
  readonly field: string;

  constructor(gateway: string, field: string, message: string) {
    super(message, { gateway, mayHaveBeenSent: false, details: { field } }, 'GATEWAY.INVALID_REQUEST');
    this.field = field;
  }
}

/**
 * An idempotency reference was presented again with a different request
 * (`GATEWAY.REFERENCE_REUSED`), as real gateways refuse with a 400 or 422. The first request
 * stands and nothing new happened: a reference must identify one operation (one payment
 * attempt, one refund), never be recycled.
 */
export class ReferenceReusedError extends AegisPayError {
  /** The reused reference. */
  readonly reference: string;
  /** Names of the fields that differ from the first request. */
  readonly fields: readonly string[];

  constructor(gateway: string, operation: 'charge' | 'refund', reference: string, fields: readonly string[]) {
    super(
      'GATEWAY.REFERENCE_REUSED',
      `${gateway} already received a ${operation} with reference "${reference}" whose ${fields.join(', ')} differ; ` +
        'the first request stands. Use a new reference for a new operation.',
      { details: { gateway, operation, reference, fields } },
    );
    this.reference = reference;
    this.fields = Object.freeze([...fields]);
  }
}
