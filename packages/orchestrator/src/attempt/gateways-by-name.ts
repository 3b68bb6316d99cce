import type { GatewayType, OptionChecks, PaymentGateway } from '@aegispay/domain';

/**
 * The gateways keyed by name.
 * @throws OrchestratorConfigurationError (`gateways`, through `checks`) when there are none
 *   (`whyNeeded` says why one is needed) or two share a name.
 */
export function gatewaysByName(gateways: readonly PaymentGateway[], checks: OptionChecks, whyNeeded: string): ReadonlyMap<GatewayType, PaymentGateway> {
  if (!Array.isArray(gateways) || gateways.length === 0) throw checks.invalid('gateways', `must name at least one gateway: ${whyNeeded}`, gateways);
  const byName = new Map<GatewayType, PaymentGateway>();
  for (const gateway of gateways) {
    if (byName.has(gateway.name)) throw checks.invalid('gateways', `must name each gateway once; two are named "${gateway.name}"`, gateways);
    byName.set(gateway.name, gateway);
  }
  return byName;
}
