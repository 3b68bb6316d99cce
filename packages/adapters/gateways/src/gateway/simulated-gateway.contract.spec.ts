import { FakeClock, FaultInjectingGateway, SeededRandom, SequentialIdGenerator, paymentGatewayContract } from '@aegispay/domain/testing';
import { SIMULATED_ACQUIRERS } from '../acquirers/acquirer-profiles';
import { createSimulatedGateways } from '../acquirers/create-simulated-gateways';
import { APPROVE_TOKEN_PREFIX, DECLINE_TOKEN_PREFIX } from '../simulation/decline-codes';

/*
 * The domain's gateway contract, run by the four simulated acquirers with their own latency, fees
 * and approval rates, on virtual time that moves by itself, with a seeded Random.
 *
 * - Outcomes come from the magic tokens (`tok_approve…`, `tok_decline_<code>`), as on a sandbox.
 * - Random technical failures are switched off (`technicalFailureRate: 0`): one drawn on an
 *   approving charge would fail a case that expects an approval; a gateway's own failures are the
 *   contract's faults instead. A simulated acquirer has no fault injection of its own (losing an
 *   answer is chaos's job), so the faults come from a FaultInjectingGateway in front of it — half
 *   of the acquirers report them as values, half as thrown transport errors.
 * - The ledger is the acquirer's own: an APPROVED entry is one charge (entries are keyed by
 *   reference), `refundedAmount` what was refunded on it.
 */
for (const [index, acquirer] of SIMULATED_ACQUIRERS.entries()) {
  paymentGatewayContract(`simulated ${acquirer}`, async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const gateways = createSimulatedGateways({
      clock,
      random: new SeededRandom(20_260_101 + index),
      ids: new SequentialIdGenerator(),
      profiles: { [acquirer]: { technicalFailureRate: 0 } },
    });
    const simulated = gateways[acquirer];
    const gateway = new FaultInjectingGateway(simulated, { mode: index % 2 === 0 ? 'RESULT' : 'THROW' });
    return {
      gateway,
      currency: 'EUR',
      methods: {
        approve: { type: 'CARD', token: `${APPROVE_TOKEN_PREFIX}_visa` },
        hardDecline: { type: 'CARD', token: `${DECLINE_TOKEN_PREFIX}stolen_card` },
        softDecline: { type: 'CARD', token: `${DECLINE_TOKEN_PREFIX}insufficient_funds` },
      },
      faults: gateway.faults,
      ledger: async (reference) => {
        const entry = simulated.getLedgerEntry(reference);
        return { charges: entry?.outcome === 'APPROVED' ? 1 : 0, refundedMinor: entry?.refundedAmount.amount ?? 0 };
      },
      advance: (ms) => clock.advance(ms),
      now: () => clock.now(),
      dispose: async () => {
        simulated.bringUp();
        clock.setAutoAdvance(false);
      },
    };
  });
}
