import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import { CryptoIdGenerator } from '../system/node-id-generator';
import { SystemClock } from '../system/system-clock';

/** Collaborators a payment takes its time and identifiers from. */
export interface PaymentDependencies {
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

let defaultDependencies: PaymentDependencies | undefined;

/** @internal The system clock and random UUIDs, shared by every payment created without its own. */
export function systemPaymentDependencies(): PaymentDependencies {
  defaultDependencies ??= { clock: new SystemClock(), ids: new CryptoIdGenerator() };
  return defaultDependencies;
}
