import type { PaymentGateway } from '@aegispay/domain';
import {
  FakeClock,
  FaultInjectingGateway,
  SeededRandom,
  SequentialIdGenerator,
  type PaymentGatewayContractSubject,
} from '@aegispay/domain/testing';
import type { SimulatedAcquirer } from '../acquirers/acquirer-profiles';
import { createSimulatedGateways } from '../acquirers/create-simulated-gateways';
import { APPROVE_TOKEN_PREFIX, DECLINE_TOKEN_PREFIX } from '../simulation/decline-codes';

/** Options of {@link simulatedGatewayContractSubject}. */
export interface SimulatedGatewayContractSubjectOptions {
  /** The acquirer whose profile (latency, fees) the gateway has. Defaults to `STRIPE`. */
  readonly acquirer?: SimulatedAcquirer;
  /** Seed of the `Random`. Defaults to 20 260 101. */
  readonly seed?: number;
  /**
   * Builds the gateway under test and its faults around the simulated acquirer. Defaults to a
   * `FaultInjectingGateway` in front of it (faults reported as values).
   */
  readonly wrap?: (simulated: PaymentGateway, clock: FakeClock) => Pick<PaymentGatewayContractSubject, 'gateway' | 'faults'>;
}

/**
 * A subject for the domain's `paymentGatewayContract()` over one simulated acquirer: its own
 * latency on a `FakeClock` that moves by itself, a seeded `Random`, the magic tokens for outcomes
 * (`tok_approve…`, `tok_decline_stolen_card`, `tok_decline_insufficient_funds`), random technical
 * failures off (one drawn on an approving charge would fail a case expecting an approval; the
 * contract's faults stand for them), and the acquirer's own ledger.
 */
export function simulatedGatewayContractSubject(options: SimulatedGatewayContractSubjectOptions = {}): PaymentGatewayContractSubject {
  const acquirer = options.acquirer ?? 'STRIPE';
  const clock = new FakeClock({ autoAdvance: true });
  const simulated = createSimulatedGateways({
    clock,
    random: new SeededRandom(options.seed ?? 20_260_101),
    ids: new SequentialIdGenerator(),
    profiles: { [acquirer]: { technicalFailureRate: 0 } },
  })[acquirer];
  const wrap =
    options.wrap ??
    ((inner: PaymentGateway) => {
      const gateway = new FaultInjectingGateway(inner);
      return { gateway, faults: gateway.faults };
    });
  return {
    ...wrap(simulated, clock),
    currency: 'EUR',
    methods: {
      approve: { type: 'CARD', token: `${APPROVE_TOKEN_PREFIX}_visa` },
      hardDecline: { type: 'CARD', token: `${DECLINE_TOKEN_PREFIX}stolen_card` },
      softDecline: { type: 'CARD', token: `${DECLINE_TOKEN_PREFIX}insufficient_funds` },
    },
    // Entries are keyed by reference: an APPROVED one is one charge.
    ledger: async (reference) => {
      const entry = simulated.getLedgerEntry(reference);
      return { charges: entry?.outcome === 'APPROVED' ? 1 : 0, refundedMinor: entry?.refundedAmount.amount ?? 0 };
    },
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    dispose: async () => clock.setAutoAdvance(false),
  };
}
