import { AegisPayError, ValidationError, type ErrorDetails } from '@aegispay/domain';

/**
 * An option or a rule given to the routing package was rejected: a negative weight, all weights
 * zero, a window of zero milliseconds, a rule without a name. `field` names the offending option.
 *
 * Codes: `ROUTING.INVALID_WEIGHTS`, `ROUTING.INVALID_OPTION`, `ROUTING.INVALID_COST_MODEL`,
 * `ROUTING.INVALID_RULE`, `ROUTING.DUPLICATE_RULE`, `ROUTING.INVALID_GATEWAYS` (the list given to
 * `selectGateway`), `METRICS.INVALID_OPTION`, `METRICS.INVALID_GATEWAY`.
 */
export class RoutingConfigurationError extends ValidationError {
  constructor(code: string, field: string, message: string, options?: ErrorOptions & { details?: ErrorDetails }) {
    super(code, field, message, options);
  }
}

/**
 * An outcome passed to `GatewayMetricsCollector.recordPayment` was malformed (a negative latency,
 * a non-integer amount, a decline that was not an answer). Code `METRICS.INVALID_OUTCOME`.
 */
export class InvalidPaymentOutcomeError extends ValidationError {
  constructor(field: string, message: string) {
    super('METRICS.INVALID_OUTCOME', field, message);
  }
}

/**
 * `selectGateway` was called with no gateway to choose from. Code `ROUTING.NO_GATEWAY_AVAILABLE`.
 * The caller should fail the payment as a technical failure (nothing was sent anywhere) or wait
 * for a circuit breaker to let a gateway through again.
 */
export class NoGatewayAvailableError extends AegisPayError {
  constructor(paymentId: string) {
    super(
      'ROUTING.NO_GATEWAY_AVAILABLE',
      `No gateway is available to route payment ${paymentId}: the list of available gateways is empty. ` +
        'Check that at least one gateway is configured and that its circuit breaker is not open.',
      { details: { paymentId } },
    );
  }
}

/**
 * A routing rule threw while deciding. Code `ROUTING.RULE_FAILED`; the rule's error is the
 * `cause`. Thrown by `selectGateway` unless the engine was given an `onRuleError` handler, in
 * which case the rule is skipped and the handler receives this error.
 */
export class RoutingRuleError extends AegisPayError {
  /** Name of the rule that failed. */
  readonly ruleName: string;
  /** Which of the rule's functions threw. */
  readonly stage: 'condition' | 'selectGateway';

  constructor(ruleName: string, stage: 'condition' | 'selectGateway', cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super('ROUTING.RULE_FAILED', `Routing rule "${ruleName}" threw in ${stage}(): ${reason}. Fix or unregister the rule.`, {
      cause,
      details: { ruleName, stage },
    });
    this.ruleName = ruleName;
    this.stage = stage;
  }
}
