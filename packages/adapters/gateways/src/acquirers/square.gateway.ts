import { SimulatedGateway } from '../gateway/simulated-gateway';
import { acquirerOptions, type SimulatedAcquirerOptions } from './acquirer-options';

/**
 * A simulated SQUARE acquirer: a {@link SimulatedGateway} with the SQUARE profile of
 * `SIMULATED_GATEWAY_PROFILES`, any field of which `options` may replace. Not a client of the
 * real Square API.
 *
 * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when an option is out of range or malformed.
 */
export class SquareGateway extends SimulatedGateway {
  constructor(options: SimulatedAcquirerOptions = {}) {
    super(acquirerOptions('SQUARE', options));
  }
}
