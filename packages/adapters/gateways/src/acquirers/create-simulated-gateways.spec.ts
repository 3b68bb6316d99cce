import { type ChargeResult, Money } from '@aegispay/domain';
import { FakeClock, SeededRandom } from '@aegispay/domain/testing';
import { observe } from '../__fixtures__/settle';
import { type SimulatedGateway } from '../gateway/simulated-gateway';
import { aChargeRequest, createTestGateways } from '../testing';
import { SIMULATED_ACQUIRERS, SIMULATED_GATEWAY_PROFILES } from './acquirer-profiles';
import { AdyenGateway } from './adyen.gateway';
import { createSimulatedGateways, type SimulatedGatewaysOptions } from './create-simulated-gateways';
import { PayPalGateway } from './paypal.gateway';
import { SquareGateway } from './square.gateway';
import { StripeGateway } from './stripe.gateway';

describe(createSimulatedGateways, () => {
  describe('when called with no options', () => {
    it('should build the four acquirers, each named and shaped by its profile', () => {
      const gateways = createSimulatedGateways();

      expect(Object.keys(gateways)).toEqual(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
      expect(gateways.STRIPE).toBeInstanceOf(StripeGateway);
      expect(gateways.PAYPAL).toBeInstanceOf(PayPalGateway);
      expect(gateways.SQUARE).toBeInstanceOf(SquareGateway);
      expect(gateways.ADYEN).toBeInstanceOf(AdyenGateway);
      for (const name of SIMULATED_ACQUIRERS) {
        const gateway = gateways[name];
        const profile = SIMULATED_GATEWAY_PROFILES[name];
        expect(gateway.name).toBe(name);
        expect(gateway.getControlState()).toMatchObject({ approvalRate: profile.approvalRate, technicalFailureRate: profile.technicalFailureRate });
        expect([gateway.latency.medianMs, gateway.latency.p95Ms]).toEqual([profile.latency?.medianMs, profile.latency?.p95Ms]);
      }
      expect(Object.isFrozen(gateways)).toBe(true);
    });
  });

  describe('the built-in profiles', () => {
    it('should differ in approval rate, latency and fees, so routing has something to choose between', () => {
      const gateways = createSimulatedGateways();
      const distinct = <T>(pick: (gateway: SimulatedGateway) => T): number => new Set(Object.values(gateways).map(pick)).size;

      expect(distinct((g) => g.getControlState().approvalRate)).toBe(4);
      expect(distinct((g) => g.latency.medianMs)).toBe(4);
      expect(distinct((g) => g.fees.feeFor(Money.of(10_000, 'EUR')).amount)).toBe(4);
      // A real trade-off: the cheapest gateway for a small EUR ticket is not the cheapest for a large one.
      const cheapest = (amount: number): string =>
        Object.values(gateways).reduce((best, g) => (g.fees.feeFor(Money.of(amount, 'EUR')).lessThan(best.fees.feeFor(Money.of(amount, 'EUR'))) ? g : best)).name;
      expect(cheapest(1_000)).toBe('ADYEN');
      expect(cheapest(100_000)).toBe('STRIPE');
    });

    it('should be deeply frozen', () => {
      expect(Object.isFrozen(SIMULATED_GATEWAY_PROFILES.STRIPE.fees?.currencies?.['USD'])).toBe(true);
    });
  });

  describe('when profiles override some fields', () => {
    it('should replace those fields only', () => {
      const gateways = createSimulatedGateways({ profiles: { PAYPAL: { approvalRate: 0.5 } } });
      expect(gateways.PAYPAL.getControlState().approvalRate).toBe(0.5);
      expect(gateways.PAYPAL.latency.medianMs).toBe(SIMULATED_GATEWAY_PROFILES.PAYPAL.latency?.medianMs);
      expect(gateways.STRIPE.getControlState().approvalRate).toBe(SIMULATED_GATEWAY_PROFILES.STRIPE.approvalRate);
    });
  });

  describe('when zeroLatency is set', () => {
    it('should answer every call without touching the clock', async () => {
      const clock = new FakeClock();
      const setTimer = jest.spyOn(clock, 'setTimer');
      const gateways = createSimulatedGateways({ clock, random: new SeededRandom(3), zeroLatency: true });
      const results = await Promise.all(Object.values(gateways).map((g) => g.charge(aChargeRequest())));

      expect(results).toHaveLength(4);
      expect(setTimer).not.toHaveBeenCalled();
    });
  });

  describe('when an option is invalid', () => {
    it.each<[string, SimulatedGatewaysOptions, string]>([
      ['an override out of range', { profiles: { ADYEN: { approvalRate: 2 } } }, 'profiles.ADYEN.approvalRate'],
      ['a nested override out of range', { profiles: { SQUARE: { latency: { medianMs: 10, p95Ms: 5 } } } }, 'profiles.SQUARE.latency.p95Ms'],
      ['an unknown acquirer', { profiles: { WORLDPAY: {} } } as SimulatedGatewaysOptions, 'profiles.WORLDPAY'],
      ['a random that is not a Random', { random: {} as SeededRandom }, 'random'],
      ['a zeroLatency that is not a boolean', { zeroLatency: 'yes' as unknown as boolean }, 'zeroLatency'],
    ])('should throw an InvalidOptionError naming %s', (_case, options, field) => {
      const create = (): unknown => createSimulatedGateways(options);
      expect(create).toThrow(expect.objectContaining({ name: 'InvalidOptionError', code: 'GATEWAY.INVALID_OPTION', field: field }) as Error);
    });
  });

  describe('when run twice with the same seed on virtual time', () => {
    it('should replay the same run across the four gateways', async () => {
      const play = async (): Promise<unknown> => {
        const { gateways, clock } = createTestGateways({ seed: 99 });
        const results: [string, number, ChargeResult | undefined][] = [];
        const calls = Array.from({ length: 40 }, (_, i) => {
          const gateway = Object.values(gateways)[i % 4] as SimulatedGateway;
          return [gateway.name, observe(gateway.charge(aChargeRequest({ reference: `r${i}`, paymentId: `p${i}` })))] as const;
        });
        await clock.advance(30_000);
        for (const [name, call] of calls) results.push([name, clock.now(), call.value]);
        return { results, ledgers: Object.values(gateways).map((g) => g.getLedger()) };
      };
      expect(await play()).toEqual(await play());
    });
  });
});

describe(StripeGateway, () => {
  describe('constructor', () => {
    it('should work with no argument, as `new StripeGateway()`', async () => {
      const gateway = new StripeGateway({ latency: { medianMs: 0, p95Ms: 0 }, technicalFailureRate: 0, approvalRate: 1 });
      expect(gateway.name).toBe('STRIPE');
      expect(new StripeGateway().name).toBe('STRIPE');
      await expect(gateway.charge(aChargeRequest({ amount: Money.of(10_000, 'USD') }))).resolves.toMatchObject({
        outcome: 'APPROVED',
        gatewayReference: expect.stringMatching(/^ch_/) as string,
        fee: Money.of(320, 'USD'),
      });
    });

    it('should ignore options explicitly set to undefined, keeping the profile', () => {
      const gateway = new PayPalGateway({ approvalRate: undefined } as never);
      expect(gateway.getControlState().approvalRate).toBe(SIMULATED_GATEWAY_PROFILES.PAYPAL.approvalRate);
    });
  });
});
