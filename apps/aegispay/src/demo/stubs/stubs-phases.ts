import type { PspStubs } from '../../psp/psp-stubs';

/** A stretch of the stubs demo's stream and the faults the stubs inject during it. */
export interface StubsPhase {
  readonly name: string;
  /** Where it starts, as a share of the stream (0–1); it ends where the next starts. */
  readonly from: number;
  readonly description: string;
  /** Sets the stubs' faults for the phase (each phase clears the previous one's first). */
  readonly apply: (stubs: PspStubs, seed: number) => Promise<void>;
}

async function clearFaults(stubs: PspStubs): Promise<void> {
  await Promise.all([stubs.stripe.control.clearFaults(), stubs.adyen.control.clearFaults()]);
}

/**
 * The demo's script, played on the stubs through their control APIs: faults a real PSP has,
 * injected where a real PSP would have them.
 */
export const STUBS_DEMO_PHASES: readonly StubsPhase[] = [
  { name: 'steady', from: 0, description: 'no faults', apply: clearFaults },
  {
    name: 'answers lost',
    from: 0.25,
    description: 'Stripe cuts 15 % of its answers after charging, Adyen loses 15 % of its answers after authorising: unknown outcomes, resolved at the PSP',
    apply: async (stubs, seed) => {
      await clearFaults(stubs);
      await stubs.stripe.control.setFaultRate({ kind: 'drop', mode: 'truncate' }, 0.15, { operation: 'payment_intents.create' });
      await stubs.adyen.control.setFaultRates({ lostAnswer: 0.15 }, seed);
    },
  },
  {
    name: 'Adyen down',
    from: 0.5,
    description: 'Adyen answers every call 503 (transient: nothing done): its cards fail over to the simulated acquirers, and routing and its breaker steer them away',
    apply: async (stubs, seed) => {
      await clearFaults(stubs);
      await stubs.adyen.control.setFaultRates({ error: 1 }, seed);
    },
  },
  { name: 'steady again', from: 0.75, description: 'no faults: Adyen takes its cards again', apply: clearFaults },
];

/** The index of the phase payment `index` of `payments` falls in. */
export function phaseAt(index: number, payments: number): number {
  let phase = 0;
  STUBS_DEMO_PHASES.forEach((candidate, at) => {
    if (index >= Math.floor(candidate.from * payments)) phase = at;
  });
  return phase;
}
