import { FakeClock, SeededRandom } from '@aegispay/domain/testing';
import { RoutingConfigurationError } from '../errors/routing.errors';
import { GatewayMetricsCollector } from '../metrics/gateway-metrics-collector';
import { primeGatewayMetrics } from '../testing';
import { IntelligentRoutingEngine } from './intelligent-routing-engine';
import type { IntelligentRoutingEngineOptions, RoutingObjective } from './intelligent-routing-engine.options';
import type { RoutingRequest } from './routing-request';

const request: RoutingRequest = { amount: 10_000, currency: 'EUR', paymentMethodType: 'CARD' };

function setup(options: IntelligentRoutingEngineOptions = {}) {
  const clock = new FakeClock();
  const collector = new GatewayMetricsCollector({ clock });
  const engine = new IntelligentRoutingEngine(collector, { clock, random: new SeededRandom(11), exploration: false, ...options });
  return { collector, engine };
}

describe('IntelligentRoutingEngine objective', () => {
  describe('when no weight and no objective is given', () => {
    it('should maximise approved value net of the fee', () => {
      expect(setup().engine.objective).toBe('approved-value');
    });

    it('should choose the gateway that approves most even when it is much slower', () => {
      const { collector, engine } = setup();
      primeGatewayMetrics(collector, 'SLOW', { approved: 950, declined: 50, latency: 4_000 });
      primeGatewayMetrics(collector, 'FAST', { approved: 900, declined: 100, latency: 150 });
      expect(engine.selectGateway(request, ['FAST', 'SLOW']).selectedGateway).toBe('SLOW');
    });

    it('should weigh the fee against the approval rate as value: 1 point of approval against 1 % of fee', () => {
      const costs = { CHEAP: { percentage: 0.01 }, DEAR: { percentage: 0.04 } };
      const { collector, engine } = setup({ costs });
      // DEAR approves 2 points more but keeps 3 % more of the amount: 0.92 × 0.96 < 0.90 × 0.99.
      primeGatewayMetrics(collector, 'DEAR', { approved: 920, declined: 80 });
      primeGatewayMetrics(collector, 'CHEAP', { approved: 900, declined: 100 });
      const decision = engine.selectGateway(request, ['DEAR', 'CHEAP']);
      expect(decision.selectedGateway).toBe('CHEAP');
      const { success, latency, cost } = decision.selected.factors;
      expect(success.contribution + latency.contribution + cost.contribution).toBeCloseTo(decision.score, 12);
    });

    it('should let latency break a tie of approved value', () => {
      const { collector, engine } = setup();
      primeGatewayMetrics(collector, 'SLOW', { approved: 900, declined: 100, latency: 900 });
      primeGatewayMetrics(collector, 'FAST', { approved: 900, declined: 100, latency: 150 });
      expect(engine.selectGateway(request, ['SLOW', 'FAST']).selectedGateway).toBe('FAST');
    });
  });

  describe('when weights are given', () => {
    it('should trade approvals for latency at the rates they set', () => {
      const { collector, engine } = setup({ successWeight: 0.5, latencyWeight: 0.3, latencyBudgetMs: 5_000 });
      expect(engine.objective).toBe('weighted');
      primeGatewayMetrics(collector, 'SLOW', { approved: 950, declined: 50, latency: 4_000 });
      primeGatewayMetrics(collector, 'FAST', { approved: 900, declined: 100, latency: 150 });
      expect(engine.selectGateway(request, ['FAST', 'SLOW']).selectedGateway).toBe('FAST');
    });

    it('should still maximise approved value when that objective is asked for', () => {
      expect(setup({ successWeight: 1, objective: 'approved-value' }).engine.objective).toBe('approved-value');
    });
  });

  describe('when the objective is unknown', () => {
    it('should throw ROUTING.INVALID_OPTION naming it', () => {
      expect(() => setup({ objective: 'fastest' as RoutingObjective })).toThrow(RoutingConfigurationError);
      expect(() => setup({ objective: 'fastest' as RoutingObjective })).toThrow(expect.objectContaining({ code: 'ROUTING.INVALID_OPTION', field: 'objective' }));
    });
  });
});
