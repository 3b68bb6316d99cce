import { paymentGatewayContract } from '@aegispay/domain/testing';
import { createStripeContractSubject } from './stripe-contract-subject';

/*
 * The domain's gateway contract, run by the Stripe connector over a fresh in-process Stripe stub for
 * each case, through real HTTP and the official SDK (see createStripeContractSubject). The stub runs
 * on real time and cannot make Stripe refuse a late request, so the deadline cases say they do not
 * apply; a refund the stub settles at once leaves the PENDING-refund case unexercised (the
 * connector's own refund tests cover it).
 */
paymentGatewayContract('StripeGateway over the Stripe stub', () => createStripeContractSubject());
