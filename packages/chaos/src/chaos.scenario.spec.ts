import { Money, VirtualClock, type ChargeRequest, type ChargeResult } from '@aegispay/domain';
import type { ChaosConfig } from './chaos-config';
import { ChaosScope } from './chaos-scope';
import { ChaosGateway } from './chaos.gateway';
import { ChaosInjectedError } from './chaos.errors';
import { ChaosOrchestrator } from './chaos.orchestrator';
import { RecordingGateway } from './testing';

/**
 * The orchestrator's acceptance scenario, reduced to its payment flow: four gateways behind one
 * chaos scope, 30 % injected failures including AFTER timeouts, 2 000 payments at concurrency 16.
 */
function world(config: ChaosConfig) {
  const clock = new VirtualClock({ autoAdvance: true });
  const scope = new ChaosScope({ boost: 0.2, durationMs: 2_000 });
  const inners = (['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'] as const).map(
    (name) => new RecordingGateway({ name, clock, latencyMs: 30 }),
  );
  const gateways = inners.map((inner, i) => new ChaosGateway(inner, { ...config, seed: 100 + i }, { clock, scope }));
  const request = (paymentId: string, attempt: number): ChargeRequest => ({
    reference: `${paymentId}:${attempt}`,
    paymentId,
    merchantId: 'merchant_1',
    amount: Money.of(2_500, 'EUR'),
    paymentMethod: { type: 'CARD', token: `tok_${paymentId}` },
  });
  /** Payment ids charged more than once, across all gateways. */
  const doubleCharged = (): string[] => {
    const charged = new Map<string, number>();
    for (const inner of inners) {
      for (const reference of inner.approvedReferences()) {
        const paymentId = reference.split(':')[0] as string;
        charged.set(paymentId, (charged.get(paymentId) ?? 0) + 1);
      }
    }
    return [...charged].filter(([, n]) => n > 1).map(([id]) => id);
  };
  return { clock, scope, inners, gateways, request, doubleCharged };
}

const config: ChaosConfig = {
  failureRate: 0.2,
  timeoutRate: 0.1,
  timeoutPhase: 'MIXED',
  timeoutMs: 3_000,
  latencyRate: 0.2,
  latencyMs: { min: 50, max: 800 },
};

describe('ChaosGateway in the orchestrator scenario', () => {
  describe('when a payment flow resolves unknown outcomes before failing over', () => {
    it('should never charge a customer twice, and the wrapper should never call a real gateway twice for one call', async () => {
      const { clock, gateways, inners, request, doubleCharged } = world(config);
      const orchestrator = new ChaosOrchestrator({ clock });

      const pay = async (paymentId: string): Promise<ChargeResult['outcome']> => {
        for (let attempt = 0; attempt < 4; attempt += 1) {
          const gateway = gateways[attempt % 4] as ChaosGateway;
          const charge = request(paymentId, attempt);
          try {
            const result = await gateway.charge(charge);
            if (result.outcome !== 'TECHNICAL_FAILURE') return result.outcome;
          } catch (error) {
            if (ChaosInjectedError.is(error) && !error.mayHaveBeenSent) continue;
            // The request may have been charged: ask that gateway, never fail over blindly.
            const status = await gateway.getStatus({ reference: charge.reference });
            if (status.status === 'APPROVED') return 'APPROVED';
            if (status.status !== 'NOT_FOUND') return 'UNKNOWN';
          }
        }
        return 'TECHNICAL_FAILURE';
      };

      const result = await orchestrator.runExperiment(
        {
          name: 'No double charge under chaos',
          iterations: 2_000,
          concurrency: 16,
          gateways,
          expectedSuccessRate: 0.95,
          classifyResult: (outcome: ChargeResult['outcome']) => (outcome === 'APPROVED' ? null : outcome),
          validateInvariants: () => doubleCharged().length === 0,
        },
        ({ iteration }) => pay(`pay_${iteration}`),
      );

      const totals = result.chaos?.totals;
      expect(result.totalRequests).toBe(2_000);
      expect(totals?.timeoutPhases.after).toBeGreaterThan(50);
      expect(totals?.injections.cascading).toBeGreaterThan(0);
      expect(result.invariantsHeld).toBe(true);
      expect(result.success).toBe(true);
      // What the real gateways received is exactly what the wrappers forwarded: nothing added, nothing repeated.
      const received = inners.reduce((sum, inner) => sum + inner.chargeCalls + inner.statusCalls, 0);
      const forwarded = gateways.reduce((sum, g) => sum + g.getStats().innerCalls, 0);
      expect(received).toBe(forwarded);
      expect(inners.reduce((sum, inner) => sum + inner.statusCalls, 0)).toBeGreaterThan(0);
      for (const inner of inners) {
        for (const reference of inner.approvedReferences()) expect(inner.attemptsFor(reference)).toBe(1);
      }
    });
  });

  describe('when a naive flow fails over on every error', () => {
    it('should charge some customers twice, and the experiment should fail its invariants', async () => {
      const { clock, gateways, request, doubleCharged } = world({ ...config, timeoutPhase: 'AFTER' });
      const result = await new ChaosOrchestrator({ clock }).runExperiment(
        {
          name: 'Naive failover',
          iterations: 500,
          concurrency: 16,
          validateInvariants: () => doubleCharged().length === 0,
        },
        async ({ iteration }) => {
          for (let attempt = 0; attempt < 4; attempt += 1) {
            try {
              return await (gateways[attempt % 4] as ChaosGateway).charge(request(`pay_${iteration}`, attempt));
            } catch {
              // Naive: every error is treated as "not charged".
            }
          }
          throw new Error('all gateways failed');
        },
      );
      expect(doubleCharged().length).toBeGreaterThan(0);
      expect(result.invariantsHeld).toBe(false);
      expect(result.success).toBe(false);
    });
  });
});
