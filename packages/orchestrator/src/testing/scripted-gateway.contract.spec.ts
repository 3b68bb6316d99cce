import { FakeClock, FaultInjectingGateway, paymentGatewayContract } from '@aegispay/domain/testing';
import { ScriptedGateway } from './scripted-gateway';

/*
 * The orchestrator's tests trust ScriptedGateway to behave like a real gateway wherever they do
 * not script otherwise: it runs the domain's gateway contract. Outcomes by payment method token
 * (`byToken`), approval by default; faults in front of it (the script's own faults only cover
 * charges); virtual time that moves by itself.
 */
paymentGatewayContract('ScriptedGateway', async () => {
  const clock = new FakeClock({ autoAdvance: true });
  const scripted = new ScriptedGateway('SCRIPTED', 'APPROVE', clock).byToken('tok_stolen', 'DECLINE_HARD').byToken('tok_no_funds', 'DECLINE_SOFT');
  const gateway = new FaultInjectingGateway(scripted, { mode: 'THROW' });
  return {
    gateway,
    currency: 'EUR',
    methods: {
      approve: { type: 'CARD', token: 'tok_visa' },
      hardDecline: { type: 'CARD', token: 'tok_stolen' },
      softDecline: { type: 'CARD', token: 'tok_no_funds' },
    },
    faults: gateway.faults,
    ledger: async (reference) => {
      const charge = scripted.charges().find((entry) => entry.reference === reference && entry.outcome === 'APPROVED');
      return { charges: charge === undefined ? 0 : 1, refundedMinor: charge?.refunded ?? 0 };
    },
    advance: (ms) => clock.advance(ms),
    now: () => clock.now(),
    dispose: async () => clock.setAutoAdvance(false),
  };
});
