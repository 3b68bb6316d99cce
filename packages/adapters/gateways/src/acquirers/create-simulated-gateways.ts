import { CryptoIdGenerator, CryptoRandom, InvalidOptionError, SystemClock, type Clock, type IdGenerator, type Random } from '@aegispay/domain';
import type { SimulatedGateway } from '../gateway/simulated-gateway';
import type { SimulatedGatewayPorts, SimulatedGatewayProfile } from '../gateway/simulated-gateway.options';
import { check } from '../options/option-checks';
import type { SimulatedAcquirerOptions } from './acquirer-options';
import { SIMULATED_ACQUIRERS, type SimulatedAcquirer } from './acquirer-profiles';
import { AdyenGateway } from './adyen.gateway';
import { PayPalGateway } from './paypal.gateway';
import { SquareGateway } from './square.gateway';
import { StripeGateway } from './stripe.gateway';

/** Options of {@link createSimulatedGateways}. The ports are shared by the four gateways. */
export interface SimulatedGatewaysOptions extends SimulatedGatewayPorts {
  /**
   * Every gateway answers at once: no latency and no timers, whatever the profiles say (for
   * benchmarks of the code around the gateways). Defaults to false.
   */
  readonly zeroLatency?: boolean;
  /** Fields replacing those of the built-in profiles, per acquirer (each field as a whole). Defaults to none. */
  readonly profiles?: { readonly [A in SimulatedAcquirer]?: SimulatedGatewayProfile };
}

/** The four simulated acquirers by name. `Object.values(gateways)` lists them for `findDoubleCharges`. */
export type SimulatedGateways = Readonly<Record<SimulatedAcquirer, SimulatedGateway>>;

const CLASSES: Readonly<Record<SimulatedAcquirer, new (options: SimulatedAcquirerOptions) => SimulatedGateway>> = {
  STRIPE: StripeGateway,
  PAYPAL: PayPalGateway,
  SQUARE: SquareGateway,
  ADYEN: AdyenGateway,
};

/**
 * The four simulated acquirers (`STRIPE`, `PAYPAL`, `SQUARE`, `ADYEN`) with their built-in
 * profiles (see `SIMULATED_GATEWAY_PROFILES`), sharing one clock, one `Random` and one id
 * generator. With a seeded `Random` and a virtual clock, the same calls replay the same run.
 *
 * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when an option or a profile override is invalid, or
 *   `profiles` names an unknown acquirer.
 */
export function createSimulatedGateways(options: SimulatedGatewaysOptions = {}): SimulatedGateways {
  check.object('options', options, {});
  const profiles = check.object('profiles', options.profiles, {});
  for (const name of Object.keys(profiles)) {
    if (!(SIMULATED_ACQUIRERS as readonly string[]).includes(name)) {
      throw check.invalid(`profiles.${name}`, `is not a simulated acquirer (${SIMULATED_ACQUIRERS.join(', ')})`, name);
    }
  }
  check.boolean('zeroLatency', options.zeroLatency, false);
  // Shared ports are created (and checked) once, so a bad one is reported by its own name.
  const ports: Required<SimulatedGatewayPorts> = {
    clock: check.port<Clock>('clock', options.clock, () => new SystemClock(), ['now', 'sleep', 'setTimer']),
    random: check.port<Random>('random', options.random, () => new CryptoRandom(), ['next']),
    ids: check.port<IdGenerator>('ids', options.ids, () => new CryptoIdGenerator(), ['generate']),
  };
  const gateways = {} as Record<SimulatedAcquirer, SimulatedGateway>;
  for (const name of SIMULATED_ACQUIRERS) {
    const profile = check.object(`profiles.${name}`, profiles[name], {});
    try {
      gateways[name] = new CLASSES[name]({
        ...profile,
        ...ports,
        ...(options.zeroLatency === true ? { latency: { medianMs: 0, p95Ms: 0 } } : {}),
      });
    } catch (error) {
      throw InvalidOptionError.is(error) ? error.within(`profiles.${name}`) : error;
    }
  }
  return Object.freeze(gateways);
}
