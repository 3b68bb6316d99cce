import type { GatewayType, PaymentGateway } from '@aegispay/domain';
import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';

/**
 * The gateways keyed by name.
 * @throws OrchestratorConfigurationError (`gateways`) when there are none (`whenEmpty` says why one
 *   is needed) or two share a name.
 */
export function gatewaysByName(gateways: readonly PaymentGateway[], whenEmpty: string): ReadonlyMap<GatewayType, PaymentGateway> {
  if (!Array.isArray(gateways) || gateways.length === 0) throw new OrchestratorConfigurationError('gateways', whenEmpty);
  const byName = new Map<GatewayType, PaymentGateway>();
  for (const gateway of gateways) {
    if (byName.has(gateway.name)) {
      throw new OrchestratorConfigurationError('gateways', `Two gateways are named "${gateway.name}"; names must be unique.`);
    }
    byName.set(gateway.name, gateway);
  }
  return byName;
}
