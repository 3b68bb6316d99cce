import { Money, type ChargeResult, type RefundResult } from '@aegispay/domain';
import { FakeClock, SeededRandom, SequentialIdGenerator } from '@aegispay/domain/testing';
import fc from 'fast-check';
import { SimulatedGateway } from '../gateway/simulated-gateway';
import { aChargeRequest } from '../testing';
import { ChargeLedger } from './charge-ledger';

type Command =
  | { readonly kind: 'charge'; readonly attempt: number; readonly payment: number; readonly amount: number }
  | { readonly kind: 'refund'; readonly reference: number; readonly charge: number; readonly amount: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('charge' as const), attempt: fc.integer({ min: 0, max: 5 }), payment: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('refund' as const), reference: fc.integer({ min: 0, max: 8 }), charge: fc.integer({ min: 0, max: 5 }), amount: fc.integer({ min: 1, max: 2_000 }) }),
);

describe(ChargeLedger, () => {
  describe('whatever sequence of charges, replays and refunds it receives', () => {
    it('should hold one entry per reference, answer replays with the first result, and never refund more than captured', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(command, { maxLength: 60 }), fc.integer({ min: 0, max: 1_000 }), async (commands, seed) => {
          const gateway = new SimulatedGateway({
            name: 'PROP',
            clock: new FakeClock(),
            random: new SeededRandom(seed),
            ids: new SequentialIdGenerator(),
            approvalRate: 0.7,
            technicalFailureRate: 0.2,
          });
          const firstCharge = new Map<string, ChargeResult>();
          const firstRefund = new Map<string, RefundResult>();
          for (const step of commands) {
            if (step.kind === 'charge') {
              // The reference fixes the payment and the amount, as an orchestrator's payment:attempt reference does.
              const reference = `ref_${step.attempt}`;
              const request = aChargeRequest({ reference, paymentId: `pay_${step.attempt % 4}`, amount: Money.of(1_000 * (1 + (step.attempt % 3)), 'EUR') });
              const result = await gateway.charge(request);
              const first = firstCharge.get(reference);
              if (first !== undefined && result !== first) return false;
              if (first === undefined && result.outcome !== 'TECHNICAL_FAILURE') firstCharge.set(reference, result);
            } else {
              const entry = gateway.getLedgerEntry(`ref_${step.charge}`);
              const reference = `rf_${step.reference}_${step.charge}_${step.amount}`;
              const result = await gateway.refund({
                reference,
                chargeReference: entry?.gatewayReference ?? `ref_${step.charge}`,
                paymentId: entry?.paymentId ?? 'pay_0',
                amount: Money.of(step.amount, 'EUR'),
              });
              const first = firstRefund.get(reference);
              if (first !== undefined && result !== first) return false;
              if (first === undefined && result.outcome !== 'TECHNICAL_FAILURE') firstRefund.set(reference, result);
            }
          }
          const ledger = gateway.getLedger();
          const references = ledger.map((entry) => entry.reference);
          return (
            new Set(references).size === references.length &&
            [...firstCharge.keys()].every((reference) => references.includes(reference)) &&
            ledger.every(
              (entry) =>
                entry.refundedAmount.amount <= entry.amount.amount &&
                entry.refunds.reduce((sum, refund) => sum + refund.amount.amount, 0) === entry.refundedAmount.amount &&
                (entry.outcome === 'APPROVED' || entry.refunds.length === 0),
            )
          );
        }),
        { numRuns: 150 },
      );
    });
  });
});
