import { createStripeConnector } from '@aegispay/stripe';
import { STRIPE_STUB_DEFAULTS } from '@aegispay/stripe/testing';
import { ContainerModule } from 'inversify';
import { TOKENS } from '../../composition/tokens';

/**
 * The app's gateways replaced by one Stripe connector (`STRIPE`) on a Stripe stub at `url`: a PSP
 * in its own process, with a durable ledger, that outlives the server.
 */
export function stripeStubBindings(url: string, secretKey: string = STRIPE_STUB_DEFAULTS.secretKey): ContainerModule {
  return new ContainerModule(({ rebindSync }) => {
    rebindSync(TOKENS.PaymentGateways)
      .toResolvedValue((clock) => Object.freeze([createStripeConnector({ secretKey, api: url, clock, timeoutMs: 30_000 }).gateway]), [TOKENS.Clock])
      .inSingletonScope();
  });
}

/** For `aegispay serve --bindings <this file>`: the stub's URL comes from `STRIPE_STUB_URL`, read when the module is loaded into the container. */
const bindings = new ContainerModule(async (options) => {
  const url = process.env['STRIPE_STUB_URL'];
  if (url === undefined || url === '') throw new Error('STRIPE_STUB_URL must name the Stripe stub the server pays through.');
  await stripeStubBindings(url).load(options);
});
export default bindings;
