import { Money, VirtualClock, type PaymentGateway } from '@aegispay/domain';
import {
  ChaosErrorType,
  ChaosGateway,
  ChaosOrchestrator,
  formatReport,
  type ChaosConfig,
  type ChaosExperiment,
} from '@aegispay/chaos';

export async function main() {
  // Virtual time: a 60-second experiment runs in milliseconds.
  const clock = new VirtualClock({ autoAdvance: true });

  // Stands in for a real acquirer: takes 80 ms, counts the charges of each reference.
  const charges = new Map<string, number>();
  const realGateway: PaymentGateway = {
    name: 'STRIPE',
    async charge(request) {
      await clock.sleep(80);
      charges.set(request.reference, (charges.get(request.reference) ?? 0) + 1);
      return { outcome: 'APPROVED', gatewayReference: `ch_${request.reference}` };
    },
    async refund(request) {
      return { outcome: 'REFUNDED', gatewayReference: `re_${request.reference}` };
    },
    async getStatus({ reference }) {
      // Charges here are instant, so a reference never seen was never received.
      return charges.has(reference) ? { status: 'APPROVED', gatewayReference: `ch_${reference}`, amount: Money.of(1999, 'EUR') } : { status: 'NOT_FOUND' };
    },
    async getRefundStatus() {
      return { status: 'UNKNOWN', reason: 'this stand-in keeps no refund records' };
    },
  };

  const chaosConfig: ChaosConfig = {
    enabled: true,
    failureRate: 0.3,
    errorTypes: [ChaosErrorType.NETWORK_ERROR, ChaosErrorType.SERVICE_UNAVAILABLE],
    latencyRate: 0.4,
    latencyMs: { min: 100, max: 3000 },
    timeoutRate: 0.1,
    timeoutMs: 5000,
    timeoutPhase: 'AFTER', // the charge goes through, the answer is lost
    intermittentFailureWindow: 10000,
    intermittentFailureBurst: 3,
    seed: 42,
    maxInjections: 1000,
  };
  const chaosGateway = new ChaosGateway(realGateway, chaosConfig, { clock });

  const experiment: ChaosExperiment = {
    name: 'Gateway Resilience Test',
    duration: 60_000,
    concurrency: 8,
    intervalMs: 500,
    config: chaosConfig,
    gateways: [chaosGateway],
    expectedSuccessRate: 0.5,
    maxAverageLatency: 2000,
    abortCondition: { windowSize: 50, minSuccessRate: 0.1 },
    // Nobody charged twice, even when answers were lost.
    validateInvariants: () => [...charges.values()].every((count) => count === 1),
  };

  const orchestrator = new ChaosOrchestrator({ clock });
  const result = await orchestrator.runExperiment(experiment, ({ iteration }) =>
    chaosGateway.charge({
      reference: `pay_${iteration}:1`,
      paymentId: `pay_${iteration}`,
      merchantId: 'merchant_1',
      amount: Money.of(1999, 'EUR'),
      paymentMethod: { type: 'CARD', token: 'tok_visa_4242' },
    }),
  );

  return { result, report: formatReport(result), stats: chaosGateway.getStats() };
}
