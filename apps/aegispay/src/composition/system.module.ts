import { CryptoIdGenerator, CryptoRandom, SystemClock, type Clock, type IdGenerator, type Random } from '@aegispay/domain';
import { SeededRandom } from '@aegispay/domain/testing';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createAppLogger } from '../logging/app-logger';
import { TOKENS } from './tokens';

/** What the system module binds; each can be replaced (tests bind a fake clock). */
export interface SystemBindings {
  /** Defaults to a JSON logger on stderr at `config.logLevel`. */
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly ids?: IdGenerator;
}

/** The configuration, the logger, and the time, randomness and identity ports. A configured seed makes every random choice reproducible. */
export function systemModule(config: AppConfig, bindings: SystemBindings = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Config).toConstantValue(config);
    bind(TOKENS.Logger).toConstantValue(bindings.logger ?? createAppLogger(config.logLevel, process.stderr));
    bind(TOKENS.Clock).toConstantValue(bindings.clock ?? new SystemClock());
    bind(TOKENS.Random).toConstantValue(bindings.random ?? (config.seed === null ? new CryptoRandom() : new SeededRandom(config.seed)));
    bind(TOKENS.IdGenerator).toConstantValue(bindings.ids ?? new CryptoIdGenerator());
  });
}
