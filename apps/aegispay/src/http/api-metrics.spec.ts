import { CircuitBreakerManager } from '@aegispay/resilience';
import { GatewayMetricsCollector } from '@aegispay/routing';
import { FakeClock } from '@aegispay/domain/testing';
import { register } from 'prom-client';
import { ApiMetrics } from './api-metrics';

function metrics(): { metrics: ApiMetrics; breakers: CircuitBreakerManager } {
  const clock = new FakeClock();
  const breakers = new CircuitBreakerManager({ clock, gateways: ['STRIPE', 'ADYEN'] });
  return { metrics: new ApiMetrics({ breakers, gatewayMetrics: new GatewayMetricsCollector({ clock }), gateways: ['STRIPE', 'ADYEN'] }), breakers };
}

describe(ApiMetrics, () => {
  describe('.render', () => {
    it('should read breaker states at scrape time', async () => {
      const { metrics: one, breakers } = metrics();
      breakers.getBreaker('ADYEN').isolate();

      const { body, contentType } = await one.render();

      expect(contentType).toContain('text/plain');
      expect(body).toContain('aegispay_circuit_breaker_state{gateway="ADYEN",state="OPEN"} 1');
      expect(body).toContain('aegispay_circuit_breaker_state{gateway="STRIPE",state="CLOSED"} 1');
      expect(body).not.toContain('aegispay_gateway_success_rate{');
    });

    it('should keep each instance in its own registry, never the global one', async () => {
      const { metrics: one } = metrics();
      const { metrics: two } = metrics();
      one.recordRefund('REFUNDED');

      expect((await one.render()).body).toContain('aegispay_refunds_total{result="REFUNDED"} 1');
      expect((await two.render()).body).not.toContain('aegispay_refunds_total{result="REFUNDED"}');
      expect(register.getSingleMetric('aegispay_refunds_total')).toBeUndefined();
    });
  });
});
