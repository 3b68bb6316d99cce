import { CryptoIdGenerator, CryptoRandom, SystemClock, type Clock, type IdGenerator, type Random } from '@aegispay/domain';
import { SeededRandom } from '@aegispay/domain/testing';
import { ContainerModule } from 'inversify';
import type { AppConfig } from '../config/app-config';
import { TOKENS } from './tokens';

/** What the system module binds; each can be replaced (tests bind a fake clock). */
export interface SystemBindings {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly ids?: IdGenerator;
}

/** The configuration and the time, randomness and identity ports. A configured seed makes every random choice reproducible. */
export function systemModule(config: AppConfig, bindings: SystemBindings = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Clock).toConstantValue(bindings.clock ?? new SystemClock());
    bind(TOKENS.Random).toConstantValue(bindings.random ?? (config.seed === null ? new CryptoRandom() : new SeededRandom(config.seed)));
    bind(TOKENS.IdGenerator).toConstantValue(bindings.ids ?? new CryptoIdGenerator());
  });
}
