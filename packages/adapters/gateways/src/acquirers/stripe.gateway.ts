import { SimulatedGateway } from '../gateway/simulated-gateway';
import { acquirerOptions, type SimulatedAcquirerOptions } from './acquirer-options';

/**
 * A simulated STRIPE acquirer: a {@link SimulatedGateway} with the STRIPE profile of
 * `SIMULATED_GATEWAY_PROFILES`, any field of which `options` may replace. Not a client of the
 * real Stripe API.
 *
 * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when an option is out of range or malformed.
 */
export class StripeGateway extends SimulatedGateway {
  constructor(options: SimulatedAcquirerOptions = {}) {
    super(acquirerOptions('STRIPE', options));
  }
}
