import { ChaosGateway, ChaosScope, type ChaosConfig } from '@aegispay/chaos';
import { createSimulatedGateways, type SimulatedGateway } from '@aegispay/gateways';
import { ContainerModule } from 'inversify';
import type { AppConfig } from '../config/app-config';
import { TOKENS } from './tokens';

/**
 * The simulated acquirers the configuration names; when `chaos` is configured, every one is
 * wrapped in a `ChaosGateway` sharing one chaos scope (so failures can cascade between them).
 */
export function simulatedGatewaysModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.SimulatedGateways)
      .toResolvedValue(
        (config, clock, random, ids) => {
          const all = createSimulatedGateways({ clock, random, ids, zeroLatency: config.zeroLatency });
          return Object.freeze(config.gateways.map((name) => all[name] as SimulatedGateway));
        },
        [TOKENS.Config, TOKENS.Clock, TOKENS.Random, TOKENS.IdGenerator],
      )
      .inSingletonScope();
    bind(TOKENS.PaymentGateways)
      .toResolvedValue(
        (config: AppConfig, clock, random, simulated) => {
          if (config.chaos === null) return simulated;
          // Mild cascades (+10 points for 2 s): the chaos package's default (+30 points for 10 s)
          // opens every breaker at once under sustained chaos, which demonstrates nothing.
          const scope = new ChaosScope({ boost: 0.1, durationMs: 2_000 });
          return Object.freeze(simulated.map((gateway) => new ChaosGateway(gateway, config.chaos as ChaosConfig, { clock, scope, random })));
        },
        [TOKENS.Config, TOKENS.Clock, TOKENS.Random, TOKENS.SimulatedGateways],
      )
      .inSingletonScope();
    bind(TOKENS.WebhookVerifiers).toConstantValue(new Map());
  });
}
