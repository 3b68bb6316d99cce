import { AegisPayError, InvalidOptionError, OptionChecks, ValidationError, type InvalidOptionContext } from '@aegispay/domain';

/**
 * An option or a rule given to the routing package was rejected: a negative weight, all weights
 * zero, a window of zero milliseconds, a rule without a name. An {@link InvalidOptionError} (so a
 * `ValidationError`): `field` names the offending option, the message says whose option it is,
 * what it must be and what it got.
 *
 * Codes: `ROUTING.INVALID_WEIGHTS`, `ROUTING.INVALID_OPTION`, `ROUTING.INVALID_COST_MODEL`,
 * `ROUTING.INVALID_RULE`, `ROUTING.DUPLICATE_RULE`, `METRICS.INVALID_OPTION`.
 */
export class RoutingConfigurationError extends InvalidOptionError {}

/** The domain's option checks, throwing {@link RoutingConfigurationError}s with `code`, naming `owner`. */
class RoutingOptionChecks extends OptionChecks {
  override invalid(option: string, problem: string, value: unknown): RoutingConfigurationError {
    const context: InvalidOptionContext = this.owner === undefined ? { value } : { value, owner: this.owner };
    return new RoutingConfigurationError(this.code, option, problem, context);
  }
}

/** @internal The option checks of a routing class or function: `code` (`ROUTING.INVALID_OPTION`, …), naming `owner`. */
export function routingOptionChecks(code: string, owner: string): OptionChecks {
  return new RoutingOptionChecks(code, owner);
}

/**
 * A call was given a malformed gateway argument: `selectGateway`'s `availableGateways` is not an
 * array of non-empty names (`ROUTING.INVALID_GATEWAYS`), or `recordPayment`'s `gateway` is not a
 * non-empty name (`METRICS.INVALID_GATEWAY`). The caller's input, not a configuration: `field`
 * names the argument (`availableGateways.1`).
 */
export class InvalidGatewayArgumentError extends ValidationError {
  constructor(code: 'ROUTING.INVALID_GATEWAYS' | 'METRICS.INVALID_GATEWAY', field: string, message: string) {
    super(code, field, message);
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
