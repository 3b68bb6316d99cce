import type { SimulatedGatewayOptions, SimulatedGatewayPorts, SimulatedGatewayProfile } from '../gateway/simulated-gateway.options';
import { SIMULATED_GATEWAY_PROFILES, type SimulatedAcquirer } from './acquirer-profiles';

/**
 * Options of the four acquirer classes (`StripeGateway`…): the ports, and any profile field to
 * replace. Each field given replaces the built-in profile's field as a whole (`latency`, `fees`
 * included); the name is fixed.
 */
export interface SimulatedAcquirerOptions extends SimulatedGatewayProfile, SimulatedGatewayPorts {}

/** The options of a `SimulatedGateway` for `acquirer`: its built-in profile with `options` laid over it (internal). */
export function acquirerOptions(acquirer: SimulatedAcquirer, options: SimulatedAcquirerOptions | undefined): SimulatedGatewayOptions {
  const given = Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
  return { ...SIMULATED_GATEWAY_PROFILES[acquirer], ...given, name: acquirer };
}
