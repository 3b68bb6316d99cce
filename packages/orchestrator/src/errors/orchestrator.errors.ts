import { AegisPayError, InvalidOptionError, OptionChecks, type InvalidOptionContext } from '@aegispay/domain';

/**
 * An orchestrator or recovery option is invalid (`ORCHESTRATOR.INVALID_OPTION`): an
 * {@link InvalidOptionError} whose `field` names the option and `problem` says what it must be
 * (`PaymentRecovery: batchSize must be an integer ≥ 1 (got 0).`).
 */
export class OrchestratorConfigurationError extends InvalidOptionError {
  constructor(field: string, problem: string, context: InvalidOptionContext = {}) {
    super('ORCHESTRATOR.INVALID_OPTION', field, problem, context);
  }
}

/** @internal The option checks of an orchestrator class (`owner`): every refusal is an {@link OrchestratorConfigurationError}. */
export function orchestratorOptionChecks(owner: string): OptionChecks {
  return new OptionChecks('ORCHESTRATOR.INVALID_OPTION', owner, (option, problem, context) => new OrchestratorConfigurationError(option, problem, context));
}

/**
 * A refund was not carried out (`REFUND.FAILED`): the gateway failed before deciding, or the
 * request never reached it. Nothing was refunded and the reserved amount is free again; retry with
 * the same idempotency key to ask again.
 */
export class RefundFailedError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly gateway: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      'REFUND.FAILED',
      `Refund of payment ${paymentId} through ${gateway} did not complete: ${reason}. Retry with the same idempotency key.`,
      { ...options, details: { paymentId, gateway, retryable: true } },
    );
  }
}

/** The gateway refused the refund (`REFUND.REJECTED`), for example because the charge was already refunded there. */
export class RefundRejectedError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly gateway: string,
    readonly gatewayCode: string,
    message?: string,
  ) {
    super(
      'REFUND.REJECTED',
      `${gateway} rejected the refund of payment ${paymentId} (${gatewayCode})${message === undefined ? '' : `: ${message}`}.`,
      { details: { paymentId, gateway, gatewayCode } },
    );
  }
}

/** The same refund idempotency key was used for a different refund: another amount or reason (`REFUND.KEY_REUSED`). */
export class RefundKeyReuseError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly idempotencyKey: string,
  ) {
    super(
      'REFUND.KEY_REUSED',
      `Refund key "${idempotencyKey}" was already used on payment ${paymentId} for a different refund (another amount or reason); use a new key for a new refund.`,
      { details: { paymentId, idempotencyKey } },
    );
  }
}

/**
 * A refund with this idempotency key is still being carried out by another request
 * (`REFUND.IN_PROGRESS`): it was recorded and may be at its gateway now. Retry later with the same
 * key to get its answer.
 */
export class RefundInProgressError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly idempotencyKey: string,
  ) {
    super(
      'REFUND.IN_PROGRESS',
      `A refund with key "${idempotencyKey}" on payment ${paymentId} is still being carried out; retry later with the same key to get its answer.`,
      { details: { paymentId, idempotencyKey, retryable: true } },
    );
  }
}

/** A payment names a gateway the orchestrator does not know (`ORCHESTRATOR.UNKNOWN_GATEWAY`). */
export class UnknownGatewayError extends AegisPayError {
  constructor(readonly gateway: string) {
    super('ORCHESTRATOR.UNKNOWN_GATEWAY', `No gateway named "${gateway}" is configured in this orchestrator.`, { details: { gateway } });
  }
}

/**
 * A gateway attempt ended in a technical failure (`GATEWAY.TECHNICAL_FAILURE`). Gateways report
 * these as results; the orchestrator wraps one in this error for error-handler hooks, whose
 * context carries an `Error`.
 */
export class GatewayAttemptFailedError extends AegisPayError {
  constructor(
    readonly gateway: string,
    readonly gatewayCode: string,
    readonly retryable: boolean,
    message?: string,
  ) {
    super('GATEWAY.TECHNICAL_FAILURE', `${gateway} failed with ${gatewayCode}${message === undefined ? '' : `: ${message}`}.`, {
      details: { gateway, gatewayCode, retryable },
    });
  }
}

/**
 * A gateway reported what a settled record of ours contradicts (`ORCHESTRATOR.GATEWAY_DISCREPANCY`):
 * a charge captured on a payment stored `FAILED`, a refund made that we recorded as refused.
 * Nothing is changed automatically; it is reported (through `onError`) for a person to reconcile.
 */
export class GatewayDiscrepancyError extends AegisPayError {
  constructor(
    readonly paymentId: string,
    readonly eventId: string,
    readonly reason: string,
  ) {
    super('ORCHESTRATOR.GATEWAY_DISCREPANCY', `Payment ${paymentId}: ${reason} (gateway event ${eventId}). Nothing was changed; reconcile it by hand.`, {
      details: { paymentId, eventId },
    });
  }
}
