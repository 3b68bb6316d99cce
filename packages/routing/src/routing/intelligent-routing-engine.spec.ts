import { InvalidOptionError, ValidationError, type Payment } from '@aegispay/domain';
import { FakeClock, SeededRandom, aPendingPayment } from '@aegispay/domain/testing';
import { InvalidGatewayArgumentError, NoGatewayAvailableError, RoutingConfigurationError, RoutingRuleError } from '../errors/routing.errors';
import { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import { primeGatewayMetrics } from '../testing';
import { IntelligentRoutingEngine } from './intelligent-routing-engine';
import type { IntelligentRoutingEngineOptions } from './intelligent-routing-engine.options';
import type { RoutingRule } from './routing-rule';

function setup(options: IntelligentRoutingEngineOptions = {}) {
  const clock = new FakeClock();
  const collector = new GatewayMetricsCollector({ clock });
  const engine = new IntelligentRoutingEngine(collector, { clock, random: new SeededRandom(42), ...options });
  const payment = aPendingPayment({ amount: 2_500 });
  return { clock, collector, engine, payment };
}

function rule(overrides: Partial<RoutingRule> & Pick<RoutingRule, 'name'>): RoutingRule {
  return { priority: 10, condition: () => true, selectGateway: () => 'PAYPAL', ...overrides };
}

function shares(engine: IntelligentRoutingEngine, payment: Payment, gateways: string[], rounds: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < rounds; i++) {
    const chosen = engine.selectGateway(payment, gateways).selectedGateway;
    counts[chosen] = (counts[chosen] ?? 0) + 1 / rounds;
  }
  return counts;
}

describe(IntelligentRoutingEngine, () => {
  describe('constructor', () => {
    describe('when no weight is given', () => {
      it('should use the spec defaults 0.5 / 0.3 / 0.2', () => {
        expect(setup().engine.weights).toEqual({ successWeight: 0.5, latencyWeight: 0.3, costWeight: 0.2 });
      });
    });

    describe('when weights are given', () => {
      it('should normalise them to sum to 1, missing ones counting as 0', () => {
        expect(setup({ successWeight: 3, costWeight: 1 }).engine.weights).toEqual({ successWeight: 0.75, latencyWeight: 0, costWeight: 0.25 });
      });
    });

    describe.each([
      ['a negative weight', { successWeight: -1, latencyWeight: 1 }, 'successWeight'],
      ['all weights zero', { successWeight: 0, latencyWeight: 0, costWeight: 0 }, 'successWeight'],
      ['a non-finite weight', { latencyWeight: Number.POSITIVE_INFINITY }, 'latencyWeight'],
    ])('when given %s', (_label, options, field) => {
      it('should throw ROUTING.INVALID_WEIGHTS', () => {
        let caught: unknown;
        try {
          setup(options);
        } catch (error) {
          caught = error;
        }
        expect(RoutingConfigurationError.is(caught)).toBe(true);
        expect(caught).toMatchObject({ code: 'ROUTING.INVALID_WEIGHTS', field });
      });
    });

    describe.each([
      ['onRuleError', { onRuleError: 'log' as never }],
      ['clock', { clock: {} as never }],
      ['random', { random: { next: 0.5 } as never }],
      ['latencyBudgetMs', { latencyBudgetMs: 0 }],
      ['exploration', { exploration: 'yes' as never }],
    ])('when %s is not of the right shape', (field, options) => {
      it('should throw ROUTING.INVALID_OPTION naming it, not fail later in a decision', () => {
        expect(() => setup(options)).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_OPTION', field }));
        expect(() => setup(options)).toThrow(RoutingConfigurationError);
        expect(() => setup(options)).toThrow(InvalidOptionError);
      });
    });

    describe('when an option is out of range', () => {
      it('should say whose option it is, what it must be and what it got', () => {
        expect(() => setup({ latencyBudgetMs: -5 })).toThrow('IntelligentRoutingEngine: latencyBudgetMs must be a finite number above 0 (got -5).');
        expect(() => setup({ successWeight: 0, latencyWeight: 0, costWeight: 0 })).toThrow(/^IntelligentRoutingEngine: successWeight must be above 0 when latencyWeight and costWeight are 0/);
      });
    });

    describe('when a cost model is invalid', () => {
      it('should throw ROUTING.INVALID_COST_MODEL naming the gateway', () => {
        expect(() => setup({ costs: { STRIPE: { percentage: 2.9 } } })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_COST_MODEL', field: 'costs.STRIPE.percentage' }));
        expect(() => setup({ costs: { STRIPE: { percentage: 2.9 } } })).toThrow(/^IntelligentRoutingEngine: costs\.STRIPE\.percentage must be a fraction .* \(got 2\.9\)\.$/);
        expect(() => setup({ costs: { ADYEN: { fixed: 15, currency: 'eur' } } })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_COST_MODEL', field: 'costs.ADYEN.currency' }));
        expect(() => setup({ costs: 'cheap' as never })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_COST_MODEL', field: 'costs' }));
      });
    });
  });

  describe('.selectGateway', () => {
    describe('when no gateway is available', () => {
      it('should throw NoGatewayAvailableError', () => {
        const { engine, payment } = setup();
        expect(() => engine.selectGateway(payment, [])).toThrow(NoGatewayAvailableError);
        expect(() => engine.selectGateway(payment, [])).toThrow(expect.objectContaining({ code: 'ROUTING.NO_GATEWAY_AVAILABLE' }));
      });
    });

    describe('when one gateway is clearly best', () => {
      it('should select it, explain why and rank the others for failover, best first and without it', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 950, declined: 50 });
        primeGatewayMetrics(collector, 'PAYPAL', { approved: 800, declined: 200 });
        primeGatewayMetrics(collector, 'SQUARE', { approved: 880, declined: 120 });
        const decision = engine.selectGateway(payment, ['PAYPAL', 'SQUARE', 'STRIPE']);
        expect(decision.selectedGateway).toBe('STRIPE');
        expect(decision.strategy).toBe('BEST_SCORE');
        expect(decision.rule).toBeNull();
        expect(decision.alternatives.map((alternative) => alternative.gateway)).toEqual(['SQUARE', 'PAYPAL']);
        expect(decision.score).toBe(decision.selected.score);
        expect(decision.reason).toMatch(/^STRIPE has the best score/);
        expect(decision.reason).toMatch(/approval estimate 9\d\.\d %/);
        const { success, latency, cost } = decision.selected.factors;
        expect(success.contribution + latency.contribution + cost.contribution).toBeCloseTo(decision.score, 12);
        expect(success.weight).toBe(0.5);
      });
    });

    describe('when the list is not an array of names', () => {
      it('should throw ROUTING.INVALID_GATEWAYS instead of routing to a letter of a string', () => {
        const { engine, payment } = setup();
        expect(() => engine.selectGateway(payment, 'STRIPE' as never)).toThrow(
          expect.objectContaining({ code: 'ROUTING.INVALID_GATEWAYS', field: 'availableGateways' }),
        );
        expect(() => engine.selectGateway(payment, ['STRIPE', ''])).toThrow(expect.objectContaining({ field: 'availableGateways.1' }));
        expect(() => engine.selectGateway(payment, ['STRIPE', 42 as never])).toThrow(InvalidGatewayArgumentError);
        // The caller's input, not a configuration.
        expect(() => engine.selectGateway(payment, ['STRIPE', 42 as never])).toThrow(ValidationError);
        expect(() => engine.selectGateway(payment, ['STRIPE', 42 as never])).not.toThrow(InvalidOptionError);
      });
    });

    describe('when the list has duplicates', () => {
      it('should treat it as a set', () => {
        const { engine, payment } = setup({ exploration: false });
        const decision = engine.selectGateway(payment, ['STRIPE', 'STRIPE', 'ADYEN']);
        expect([decision.selectedGateway, ...decision.alternatives.map((a) => a.gateway)].sort()).toEqual(['ADYEN', 'STRIPE']);
      });
    });

    describe('when a gateway has no data (cold start)', () => {
      it('should give it a share of traffic until its outcomes are known', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 900, declined: 100 });
        // Assumed about as good as the best proven gateway, with the weight of two outcomes.
        const share = shares(engine, payment, ['STRIPE', 'ADYEN'], 2_000)['ADYEN'] ?? 0;
        expect(share).toBeGreaterThan(0.3);
        expect(share).toBeLessThan(0.9);
        // Its first outcomes show it is worse: it stops getting traffic.
        primeGatewayMetrics(collector, 'ADYEN', { approved: 10, declined: 10 });
        expect(shares(engine, payment, ['STRIPE', 'ADYEN'], 2_000)['ADYEN'] ?? 0).toBeLessThan(0.02);
      });

      it('should say so when it explores it', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 900, declined: 100 });
        let decision = engine.selectGateway(payment, ['STRIPE', 'ADYEN']);
        while (decision.selectedGateway !== 'ADYEN') decision = engine.selectGateway(payment, ['STRIPE', 'ADYEN']);
        expect(decision.strategy).toBe('EXPLORATION');
        expect(decision.reason).toMatch(/cold start/);
      });
    });

    describe('when exploration is off', () => {
      it('should always take the best expected score', () => {
        const { collector, engine, payment } = setup({ exploration: false });
        primeGatewayMetrics(collector, 'STRIPE', { approved: 900, declined: 100 });
        expect(shares(engine, payment, ['STRIPE', 'ADYEN'], 200)).toEqual({ STRIPE: expect.closeTo(1, 9) });
      });
    });

    describe('when the best gateway goes down', () => {
      it('should move traffic away within a few failures', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 1_900, declined: 100 });
        primeGatewayMetrics(collector, 'ADYEN', { approved: 180, declined: 20 });
        expect(shares(engine, payment, ['STRIPE', 'ADYEN'], 200)['STRIPE']).toBeGreaterThan(0.8);
        for (let i = 0; i < 8; i++) collector.recordPayment('STRIPE', { success: false, latency: 5_000, amount: 2_500 });
        expect(shares(engine, payment, ['STRIPE', 'ADYEN'], 200)['ADYEN']).toBeGreaterThan(0.9);
      });
    });

    describe('when a gateway that was down has been idle for a while', () => {
      it('should try it again, and bring traffic back once it answers', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { failed: 50 });
        primeGatewayMetrics(collector, 'ADYEN', { approved: 900, declined: 100 });
        const right = shares(engine, payment, ['STRIPE', 'ADYEN'], 500)['STRIPE'] ?? 0;
        expect(right).toBeLessThan(0.02);
        // ADYEN keeps taking traffic; STRIPE's failures fade.
        primeGatewayMetrics(collector, 'ADYEN', { approved: 9_000, declined: 1_000 });
        let tries = 0;
        for (let i = 0; i < 2_000 && tries === 0; i++) {
          if (engine.selectGateway(payment, ['STRIPE', 'ADYEN']).selectedGateway === 'STRIPE') tries += 1;
        }
        expect(tries).toBe(1);
        primeGatewayMetrics(collector, 'STRIPE', { approved: 10 });
        expect(shares(engine, payment, ['STRIPE', 'ADYEN'], 500)['STRIPE']).toBeGreaterThan(0.3);
      });
    });

    describe('when two engines share a seed and the same outcomes', () => {
      it('should make identical decisions', () => {
        const run = (): string[] => {
          const { collector, engine, payment } = setup();
          primeGatewayMetrics(collector, 'STRIPE', { approved: 90, declined: 10 });
          primeGatewayMetrics(collector, 'ADYEN', { approved: 88, declined: 12 });
          return Array.from({ length: 300 }, () => engine.selectGateway(payment, ['STRIPE', 'ADYEN', 'SQUARE']).selectedGateway);
        };
        expect(run()).toEqual(run());
      });
    });

    describe('when latency and cost differ and approvals are equal', () => {
      it('should prefer the faster and cheaper gateway', () => {
        const { collector, engine, payment } = setup({
          exploration: false,
          costs: { STRIPE: { percentage: 0.029, fixed: 30 }, SQUARE: { percentage: 0.012, fixed: 5 } },
        });
        primeGatewayMetrics(collector, 'STRIPE', { approved: 900, declined: 100, latency: 900 });
        primeGatewayMetrics(collector, 'SQUARE', { approved: 900, declined: 100, latency: 200 });
        const decision = engine.selectGateway(payment, ['STRIPE', 'SQUARE']);
        expect(decision.selectedGateway).toBe('SQUARE');
        expect(decision.selected.factors.cost.input).toBeCloseTo((0.012 * 2_500 + 5) / 2_500, 12);
        expect(decision.alternatives[0]?.factors.latency.input).toBeCloseTo(900, -1);
      });
    });

    describe('when approvals differ by several points', () => {
      it('should not trade them for a cheaper fee', () => {
        const { collector, engine, payment } = setup({
          exploration: false,
          costs: { STRIPE: { percentage: 0.029, fixed: 30 }, SQUARE: { percentage: 0.012, fixed: 5 } },
        });
        primeGatewayMetrics(collector, 'STRIPE', { approved: 930, declined: 70 });
        primeGatewayMetrics(collector, 'SQUARE', { approved: 880, declined: 120 });
        expect(engine.selectGateway(payment, ['STRIPE', 'SQUARE']).selectedGateway).toBe('STRIPE');
      });
    });
  });

  describe('.registerRule', () => {
    describe('when rules match', () => {
      it('should let the highest priority rule with an available choice decide', () => {
        const { engine, payment } = setup();
        engine.registerRule(rule({ name: 'low', priority: 1, selectGateway: () => 'ADYEN' }));
        engine.registerRule(rule({ name: 'unavailable', priority: 100, selectGateway: () => 'KLARNA' }));
        engine.registerRule(rule({ name: 'abstains', priority: 50, selectGateway: () => null }));
        engine.registerRule(rule({ name: 'not-applicable', priority: 75, condition: () => false }));
        const decision = engine.selectGateway(payment, ['STRIPE', 'ADYEN']);
        expect(decision).toMatchObject({ selectedGateway: 'ADYEN', strategy: 'RULE', rule: 'low' });
        expect(decision.reason).toMatch(/^Rule "low" chose ADYEN/);
        expect(engine.getRules().map((r) => r.name)).toEqual(['unavailable', 'not-applicable', 'abstains', 'low']);
      });

      it('should give the condition the caller context and the clock time', () => {
        const { clock, engine, payment } = setup();
        const condition = jest.fn(() => false);
        engine.registerRule(rule({ name: 'spy', condition }));
        engine.selectGateway(payment, ['STRIPE'], { latencySensitive: true });
        expect(condition).toHaveBeenCalledWith(payment, { latencySensitive: true, now: clock.now() });
      });

      it('should give selectGateway the metrics of the available gateways only', () => {
        const { collector, engine, payment } = setup();
        primeGatewayMetrics(collector, 'STRIPE', { approved: 10 });
        primeGatewayMetrics(collector, 'PAYPAL', { approved: 10 });
        let seen: string[] = [];
        engine.registerRule(
          rule({
            name: 'spy',
            selectGateway: (_payment, gateways, metrics) => {
              seen = [...metrics.keys()];
              expect(metrics.get('STRIPE')?.volume).toBe(10);
              expect(metrics.get('PAYPAL')).toBeUndefined();
              return gateways[0];
            },
          }),
        );
        engine.selectGateway(payment, ['STRIPE', 'ADYEN']);
        expect(seen).toEqual(['STRIPE', 'ADYEN']);
      });
    });

    describe('when a rule with the same name exists', () => {
      it('should throw ROUTING.DUPLICATE_RULE', () => {
        const { engine } = setup();
        engine.registerRule(rule({ name: 'a' }));
        expect(() => engine.registerRule(rule({ name: 'a' }))).toThrow(expect.objectContaining({ code: 'ROUTING.DUPLICATE_RULE', field: 'name' }));
        expect(() => engine.registerRule(rule({ name: 'a' }))).toThrow('Routing rule "a": name is already registered; unregister that rule first to replace it.');
      });
    });

    describe('when the rule is malformed', () => {
      it('should throw ROUTING.INVALID_RULE', () => {
        const { engine } = setup();
        expect(() => engine.registerRule({ name: '', priority: 1, condition: () => true, selectGateway: () => null })).toThrow(
          expect.objectContaining({ code: 'ROUTING.INVALID_RULE', field: 'name' }),
        );
        expect(() => engine.registerRule({ name: 'x', priority: Number.NaN, condition: () => true, selectGateway: () => null })).toThrow(
          expect.objectContaining({ field: 'priority' }),
        );
        expect(() => engine.registerRule({ name: 'x', priority: 1, condition: () => true } as never)).toThrow(
          'Routing rule "x": selectGateway is required (got undefined).',
        );
        expect(() => engine.registerRule(null as never)).toThrow(RoutingConfigurationError);
      });
    });

    describe('when a rule throws', () => {
      it('should throw RoutingRuleError with the cause, or skip the rule when onRuleError is given', () => {
        const failing = rule({ name: 'broken', selectGateway: () => { throw new Error('boom'); } });
        const strict = setup();
        strict.engine.registerRule(failing);
        expect(() => strict.engine.selectGateway(strict.payment, ['STRIPE'])).toThrow(RoutingRuleError);
        const errors: RoutingRuleError[] = [];
        const lenient = setup({ onRuleError: (error) => errors.push(error) });
        lenient.engine.registerRule(failing);
        expect(lenient.engine.selectGateway(lenient.payment, ['STRIPE']).selectedGateway).toBe('STRIPE');
        expect(errors[0]).toMatchObject({ code: 'ROUTING.RULE_FAILED', ruleName: 'broken', stage: 'selectGateway' });
        expect((errors[0]?.cause as Error).message).toBe('boom');
      });
    });
  });

  describe('.unregisterRule', () => {
    describe('when the rule exists', () => {
      it('should remove it and report it', () => {
        const { engine, payment } = setup({ exploration: false });
        engine.registerRule(rule({ name: 'to-paypal' }));
        expect(engine.unregisterRule('to-paypal')).toBe(true);
        expect(engine.unregisterRule('to-paypal')).toBe(false);
        expect(engine.selectGateway(payment, ['STRIPE', 'PAYPAL']).rule).toBeNull();
      });
    });
  });
});
