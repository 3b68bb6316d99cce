// The connector
export { StripeGateway } from './gateway/stripe-gateway';
export {
  STRIPE_GATEWAY_DEFAULTS,
  type StripeApiBase,
  type StripeGatewayOptions,
} from './gateway/stripe-gateway.options';
export { createStripeConnector, type StripeConnector, type StripeConnectorOptions } from './connector/create-stripe-connector';

// Webhooks
export { StripeWebhookVerifier, type StripeWebhookVerifierOptions } from './webhooks/stripe-webhook-verifier';
export { STRIPE_CHARGE_EVENT_TYPES, STRIPE_REFUND_EVENT_TYPES } from './webhooks/stripe-event.mapping';

// Mapping tables
export { STRIPE_DECLINE_TYPES, declineTypeOf } from './gateway/stripe-decline-codes';
export { STRIPE_EXPONENT_EXCEPTIONS, STRIPE_ROUND_TO_TEN, fromStripeAmount, toStripeAmount, type StripeAmount } from './gateway/stripe-amounts';
export { STRIPE_METADATA_KEYS } from './gateway/stripe-requests';

// Errors
export {
  InvalidStripeOptionError,
  InvalidStripeRequestError,
  StripeConnectionRefusedError,
  StripeIdempotencyConflictError,
} from './errors/stripe.errors';
