import { ChaosGateway, ChaosScope, type ChaosConfig } from '@aegispay/chaos';
import type { GatewayWebhookVerifier, PaymentGateway } from '@aegispay/domain';
import { createSimulatedGateways, type SimulatedGateway } from '@aegispay/gateways';
import { ContainerModule } from 'inversify';
import type { AppConfig } from '../config/app-config';
import { isSimulatedAcquirer } from '../config/gateway-names';
import { createPspConnectors } from './psp-connectors';
import { TOKENS } from './tokens';

/**
 * The gateways the configuration names, in its order: the simulated acquirers (wrapped in a
 * `ChaosGateway` each, sharing one chaos scope, when `chaos` is configured) and the connectors to
 * real PSPs (never wrapped in chaos: faults at a real PSP are the PSP's — or its stub's — to
 * inject). To the orchestrator, routing, breakers and recovery they are all `PaymentGateway`s.
 * The connectors' webhook verifiers are bound by route segment.
 */
export function gatewaysModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.SimulatedGateways)
      .toResolvedValue(
        (config, clock, random, ids) => {
          const all = createSimulatedGateways({ clock, random, ids, zeroLatency: config.zeroLatency });
          return Object.freeze(config.gateways.filter(isSimulatedAcquirer).map((name) => all[name] as SimulatedGateway));
        },
        [TOKENS.Config, TOKENS.Clock, TOKENS.Random, TOKENS.IdGenerator],
      )
      .inSingletonScope();
    bind(TOKENS.PspConnectors)
      .toResolvedValue((config, clock) => Object.freeze(createPspConnectors(config, clock)), [TOKENS.Config, TOKENS.Clock])
      .inSingletonScope();
    bind(TOKENS.PaymentGateways)
      .toResolvedValue(
        (config: AppConfig, clock, random, simulated, connectors) => {
          let wrapped: readonly PaymentGateway[] = simulated;
          if (config.chaos !== null) {
            // Mild cascades (+10 points for 2 s): the chaos package's default (+30 points for 10 s)
            // opens every breaker at once under sustained chaos, which demonstrates nothing.
            const scope = new ChaosScope({ boost: 0.1, durationMs: 2_000 });
            wrapped = simulated.map((gateway) => new ChaosGateway(gateway, config.chaos as ChaosConfig, { clock, scope, random }));
          }
          const byName = new Map<string, PaymentGateway>([...wrapped.map((gateway) => [gateway.name, gateway] as const), ...connectors.map((connector) => [connector.name, connector.gateway] as const)]);
          return Object.freeze(config.gateways.map((name) => byName.get(name) as PaymentGateway));
        },
        [TOKENS.Config, TOKENS.Clock, TOKENS.Random, TOKENS.SimulatedGateways, TOKENS.PspConnectors],
      )
      .inSingletonScope();
    bind(TOKENS.WebhookVerifiers)
      .toResolvedValue(
        (connectors) =>
          new Map(connectors.flatMap((connector): [string, GatewayWebhookVerifier][] => (connector.webhooks === undefined ? [] : [[connector.segment, connector.webhooks]]))) as ReadonlyMap<
            string,
            GatewayWebhookVerifier
          >,
        [TOKENS.PspConnectors],
      )
      .inSingletonScope();
  });
}
