import { Payment, VirtualClock } from '@aegispay/domain';
import {
  GatewayMetricsCollector,
  IntelligentRoutingEngine,
  createHighValueRule,
  createLowLatencyRule,
  outcomeFromChargeResult,
} from '@aegispay/routing';

export async function main() {
  const clock = new VirtualClock(); // production: omit it (SystemClock)

  // 1. Live metrics: a one-hour window of at most 10 000 outcomes per gateway
  const metricsCollector = new GatewayMetricsCollector({ windowSize: 3_600_000, maxEntries: 10_000, clock });

  // 2. The engine: weights (normalised), fee models, the same clock
  const routingEngine = new IntelligentRoutingEngine(metricsCollector, {
    successWeight: 0.5,
    latencyWeight: 0.3,
    costWeight: 0.2,
    costs: {
      STRIPE: { percentage: 0.029, fixed: 30, currency: 'EUR' },
      ADYEN: { percentage: 0.022, fixed: 15, currency: 'EUR' },
      PAYPAL: { percentage: 0.034, fixed: 35, currency: 'EUR' },
    },
    clock,
  });

  // 3. Rules: high-value payments (≥ 100.00) to the best proven gateway; latency-sensitive ones to a fast one
  routingEngine.registerRule(createHighValueRule(10_000));
  routingEngine.registerRule(createLowLatencyRule(100));

  // 4. After every gateway attempt, record what happened (a decline is an answer: success true, declined true)
  for (let i = 0; i < 200; i++) {
    metricsCollector.recordPayment('STRIPE', { success: true, latency: 180, amount: 2_500, cost: 103 });
    metricsCollector.recordPayment(
      'PAYPAL',
      i % 5 === 0 ? { success: false, latency: 2_000, amount: 2_500, errorCode: 'HTTP_503' } : { success: true, latency: 350, amount: 2_500 },
    );
    const result =
      i % 10 === 0
        ? ({ outcome: 'DECLINED', declineCode: 'do_not_honor', declineType: 'SOFT' } as const)
        : ({ outcome: 'APPROVED', gatewayReference: `psp_${i}` } as const);
    metricsCollector.recordPayment('ADYEN', outcomeFromChargeResult(result, { latency: 220, amount: 2_500 }));
    await clock.advance(1_000);
  }

  // 5. Decide, then fail over down `alternatives` if the first gateway fails
  const payment = Payment.create({ merchantId: 'merchant_1', amount: 15_000, currency: 'EUR', paymentMethod: { type: 'CARD', token: 'tok_visa' } });
  const decision = routingEngine.selectGateway(payment, ['STRIPE', 'PAYPAL', 'ADYEN']);

  const paypal = metricsCollector.getMetrics('PAYPAL');
  return {
    selected: decision.selectedGateway, // 'STRIPE'
    rule: decision.rule, // 'high-value'
    failover: decision.alternatives.map((alternative) => alternative.gateway), // ['ADYEN', 'PAYPAL']
    reason: decision.reason, // 'Rule "high-value" chose STRIPE (…); its score is 0.96…'
    paypalHealth: paypal.hasData ? paypal.successRate : null, // 0.8
    paypalP95: paypal.hasData ? paypal.p95Latency : null, // ≈ 2 000 (within 1 %)
  };
}
