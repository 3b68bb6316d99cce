import { AegisPayError, type ErrorDetails } from '../errors/aegispay.error';
import type { GatewayType } from './gateway-type';

/** What a {@link GatewayTransportError} says about the request. */
export interface GatewayTransportErrorInit {
  readonly gateway: GatewayType;
  /**
   * False only when the request certainly never left (connection refused, a refusal of the
   * adapter's own before sending, a malformed request caught locally): the caller may then try
   * another gateway at once. True when it may have reached the gateway (a timeout after sending, a
   * connection dropped mid-answer): the outcome is unknown and must be resolved at that gateway.
   */
  readonly mayHaveBeenSent: boolean;
  readonly details?: ErrorDetails;
  readonly cause?: unknown;
}

/**
 * A gateway call failed in transport, before any answer: the one error a {@link PaymentGateway}
 * adapter throws on purpose. `mayHaveBeenSent` decides what the caller may do next; any other error
 * an adapter throws is read as "may have been sent".
 *
 * Subclasses keep their own `code` (`GATEWAY.CONNECTION_REFUSED`, `CHAOS.INJECTED`…); the default is
 * `GATEWAY.TRANSPORT_ERROR`.
 */
export class GatewayTransportError extends AegisPayError {
  readonly gateway: GatewayType;
  readonly mayHaveBeenSent: boolean;

  constructor(message: string, init: GatewayTransportErrorInit, code = 'GATEWAY.TRANSPORT_ERROR') {
    super(code, message, {
      ...(init.cause === undefined ? {} : { cause: init.cause }),
      details: { gateway: init.gateway, mayHaveBeenSent: init.mayHaveBeenSent, ...(init.details ?? {}) },
    });
    this.gateway = init.gateway;
    this.mayHaveBeenSent = init.mayHaveBeenSent;
  }
}

/**
 * A webhook's signature is missing, does not match, or is too old (`WEBHOOK.INVALID_SIGNATURE`,
 * `WEBHOOK.STALE`, `WEBHOOK.MALFORMED`). The webhook is refused and nothing is applied.
 */
export class WebhookVerificationError extends AegisPayError {
  constructor(
    code: 'WEBHOOK.INVALID_SIGNATURE' | 'WEBHOOK.STALE' | 'WEBHOOK.MALFORMED',
    readonly gateway: GatewayType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, { ...(options?.cause === undefined ? {} : { cause: options.cause }), details: { gateway } });
  }
}
