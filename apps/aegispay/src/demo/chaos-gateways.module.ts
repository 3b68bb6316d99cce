import { ChaosGateway, ChaosScope, type ChaosConfig, type ChaosScopeOptions } from '@aegispay/chaos';
import { ContainerModule } from 'inversify';
import { TOKENS } from '../composition/tokens';

/**
 * Rebinds the gateways the orchestrator calls: every simulated acquirer wrapped in a
 * `ChaosGateway` with `chaos` (a `ChaosConfig`; `enabled: false` starts it switched off, for a
 * scenario to switch on), all sharing one `ChaosScope` built from `scope` (cascades between them).
 * The container's own chaos binding (from `AEGISPAY_CHAOS`) has a fixed mild cascade and is always
 * on; commands that script chaos need their own scope and switch.
 */
export function chaosGatewaysModule(chaos: ChaosConfig, scope: ChaosScopeOptions = {}): ContainerModule {
  return new ContainerModule(({ rebindSync }) => {
    rebindSync(TOKENS.PaymentGateways)
      .toResolvedValue(
        (clock, random, simulated) => {
          const shared = new ChaosScope(scope);
          return Object.freeze(simulated.map((gateway) => new ChaosGateway(gateway, chaos, { clock, scope: shared, random })));
        },
        [TOKENS.Clock, TOKENS.Random, TOKENS.SimulatedGateways],
      )
      .inSingletonScope();
  });
}
