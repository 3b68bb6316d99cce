import { Payment, VirtualClock } from '@aegispay/domain';
import { aPaymentRequest, SeededRandom } from '@aegispay/domain/testing';
import { GatewayMetricsCollector } from '@aegispay/routing';
import { PaymentMethodEligibility, PaymentMethodRoutingEngine } from './payment-method-routing';

const ELIGIBILITY = new PaymentMethodEligibility(
  new Map([
    ['STRIPE_PSP', /^pm_/],
    ['ADYEN_PSP', /^[^:]+:[A-Z_]+$/],
  ]),
);

function engine(): PaymentMethodRoutingEngine {
  const clock = new VirtualClock();
  return new PaymentMethodRoutingEngine(new GatewayMetricsCollector({ clock }), { clock, random: new SeededRandom(11) }, ELIGIBILITY);
}

function paymentWith(token: string): Payment {
  return Payment.create(aPaymentRequest({ paymentMethod: { type: 'CARD', token } }));
}

describe(PaymentMethodEligibility, () => {
  describe('.accepts', () => {
    it('should hold a gateway with a pattern to it, and let a gateway without one take every token', () => {
      expect(ELIGIBILITY.accepts('STRIPE_PSP', 'pm_card_visa')).toBe(true);
      expect(ELIGIBILITY.accepts('STRIPE_PSP', 'shopper_1:STUB_APPROVED')).toBe(false);
      expect(ELIGIBILITY.accepts('PAYPAL', 'shopper_1:STUB_APPROVED')).toBe(true);
    });
  });
});

describe(PaymentMethodRoutingEngine, () => {
  describe('.selectGateway', () => {
    it('should choose and rank only the gateways that can charge the token', () => {
      const decisions = Array.from({ length: 20 }, () => engine().selectGateway(paymentWith('pm_card_visa'), ['ADYEN_PSP', 'STRIPE_PSP', 'PAYPAL']));

      for (const decision of decisions) {
        expect([decision.selectedGateway, ...decision.alternatives.map((alternative) => alternative.gateway)].sort()).toEqual(['PAYPAL', 'STRIPE_PSP']);
      }
    });

    describe('when no available gateway can charge the token', () => {
      it('should choose among all of them (the gateway refusing it says why)', () => {
        const decision = engine().selectGateway(paymentWith('tok_vault_42'), ['ADYEN_PSP', 'STRIPE_PSP']);

        expect([decision.selectedGateway, ...decision.alternatives.map((alternative) => alternative.gateway)].sort()).toEqual(['ADYEN_PSP', 'STRIPE_PSP']);
      });
    });
  });
});
