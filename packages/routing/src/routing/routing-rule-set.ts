import type { GatewayType, Payment } from '@aegispay/domain';
import { RoutingConfigurationError, RoutingRuleError, routingOptionChecks } from '../errors/routing.errors';
import type { GatewayMetrics } from '../metrics/gateway-metrics';
import type { RoutingRule, RoutingRuleContext } from './routing-rule';

/** The rule that decided, and the index of its choice in the available gateways. */
export interface RuleChoice {
  readonly rule: RoutingRule;
  readonly index: number;
}

const checks = routingOptionChecks('ROUTING.INVALID_RULE', 'Routing rule');

/**
 * @internal The rules of one engine, in the order they are tried (descending priority, ties in
 * registration order), and how they decide: the first whose condition holds and whose choice is
 * available wins. A rule that throws is reported to `onRuleError` and skipped, or, without a
 * handler, fails the decision with a {@link RoutingRuleError}.
 */
export class RoutingRuleSet {
  private readonly rules: RoutingRule[] = [];

  constructor(private readonly onRuleError: ((error: RoutingRuleError) => void) | undefined) {}

  /** Whether no rule is registered. */
  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /**
   * @throws RoutingConfigurationError `ROUTING.INVALID_RULE` for a malformed rule,
   *   `ROUTING.DUPLICATE_RULE` when a rule with the same name is registered.
   */
  add(rule: RoutingRule): void {
    validateRule(rule);
    if (this.rules.some((existing) => existing.name === rule.name)) {
      throw new RoutingConfigurationError('ROUTING.DUPLICATE_RULE', 'name', 'is already registered; unregister that rule first to replace it', {
        owner: `Routing rule "${rule.name}"`,
      });
    }
    // Before the first rule of a lower priority: after every rule of the same one.
    const index = this.rules.findIndex((existing) => existing.priority < rule.priority);
    this.rules.splice(index < 0 ? this.rules.length : index, 0, rule);
  }

  /** Removes the rule named `name`; whether there was one. */
  remove(name: string): boolean {
    const index = this.rules.findIndex((rule) => rule.name === name);
    if (index < 0) return false;
    this.rules.splice(index, 1);
    return true;
  }

  /** The rules, in the order they are tried. */
  list(): readonly RoutingRule[] {
    return [...this.rules];
  }

  /**
   * The first rule's choice among `gateways`, or `undefined` when no rule decides. `metrics` is
   * asked for the metrics map only once a rule's condition holds.
   */
  decide(
    payment: Payment,
    gateways: readonly GatewayType[],
    context: RoutingRuleContext,
    metrics: () => ReadonlyMap<GatewayType, GatewayMetrics>,
  ): RuleChoice | undefined {
    let view: ReadonlyMap<GatewayType, GatewayMetrics> | undefined;
    for (const rule of this.rules) {
      let applies: boolean;
      try {
        applies = rule.condition(payment, context) === true;
      } catch (error) {
        this.failed(new RoutingRuleError(rule.name, 'condition', error));
        continue;
      }
      if (!applies) continue;
      view ??= metrics();
      let choice: GatewayType | null | undefined;
      try {
        choice = rule.selectGateway(payment, gateways, view);
      } catch (error) {
        this.failed(new RoutingRuleError(rule.name, 'selectGateway', error));
        continue;
      }
      if (choice === null || choice === undefined) continue;
      const index = gateways.indexOf(choice);
      if (index >= 0) return { rule, index };
    }
    return undefined;
  }

  private failed(error: RoutingRuleError): void {
    if (this.onRuleError === undefined) throw error;
    this.onRuleError(error);
  }
}

function validateRule(rule: RoutingRule): void {
  if (typeof rule !== 'object' || rule === null) {
    throw checks.invalid('', 'must be an object with name, priority, condition and selectGateway', rule);
  }
  if (typeof rule.name !== 'string' || rule.name.length === 0 || rule.name.length > 100) {
    throw checks.invalid('name', 'must be a string of 1–100 characters', rule.name);
  }
  const named = routingOptionChecks('ROUTING.INVALID_RULE', `Routing rule "${rule.name}"`);
  named.number('priority', rule.priority, undefined);
  named.requiredFunction('condition', rule.condition);
  named.requiredFunction('selectGateway', rule.selectGateway);
}
