import type { ChargeRequest, ChargeResult } from '@aegispay/domain';
import { FakeClock, type PaymentGatewayContractSubject } from '@aegispay/domain/testing';
import { RecordingGateway } from '../testing/recording.gateway';

/** A decision by payment method token, as on a sandbox: the contract's outcomes, including customer action. */
export function decideByToken(): (request: ChargeRequest) => ChargeResult {
  let sequence = 0;
  return (request) => {
    sequence += 1;
    switch (request.paymentMethod.token) {
      case 'tok_stolen':
        return { outcome: 'DECLINED', declineCode: 'stolen_card', declineType: 'HARD' };
      case 'tok_no_funds':
        return { outcome: 'DECLINED', declineCode: 'insufficient_funds', declineType: 'SOFT' };
      case 'tok_3ds':
        return { outcome: 'REQUIRES_ACTION', gatewayReference: `pi_${sequence}`, action: { type: 'REDIRECT', url: `https://acs.example/3ds/${sequence}` } };
      default:
        return { outcome: 'APPROVED', gatewayReference: `ch_${sequence}` };
    }
  };
}

/** A contract subject over a RecordingGateway taking 50 ms a call on self-advancing virtual time, `gateway` built around it by `wrap`. */
export function recordingSubject(
  wrap: (recording: RecordingGateway, clock: FakeClock) => Pick<PaymentGatewayContractSubject, 'gateway' | 'faults'>,
): PaymentGatewayContractSubject {
  const clock = new FakeClock({ autoAdvance: true });
  const recording = new RecordingGateway({ name: 'RECORDING', clock, latencyMs: 50, decide: decideByToken() });
  return {
    ...wrap(recording, clock),
    currency: 'EUR',
    methods: {
      approve: { type: 'CARD', token: 'tok_visa' },
      hardDecline: { type: 'CARD', token: 'tok_stolen' },
      softDecline: { type: 'CARD', token: 'tok_no_funds' },
      requiresAction: { type: 'CARD', token: 'tok_3ds' },
    },
    ledger: async (reference) => ({ charges: recording.approvedReferences().includes(reference) ? 1 : 0, refundedMinor: recording.refundedOf(reference) }),
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    dispose: async () => clock.setAutoAdvance(false),
  };
}
