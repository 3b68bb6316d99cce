import { SimulatedGateway } from '../gateway/simulated-gateway';
import { acquirerOptions, type SimulatedAcquirerOptions } from './acquirer-options';

/**
 * A simulated PAYPAL acquirer: a {@link SimulatedGateway} with the PAYPAL profile of
 * `SIMULATED_GATEWAY_PROFILES`, any field of which `options` may replace. Not a client of the
 * real PayPal API.
 *
 * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when an option is out of range or malformed.
 */
export class PayPalGateway extends SimulatedGateway {
  constructor(options: SimulatedAcquirerOptions = {}) {
    super(acquirerOptions('PAYPAL', options));
  }
}
