// The connector
export { AdyenGateway } from './gateway/adyen.gateway';
export type { AdyenGatewayOptions, AdyenRecurringProcessingModel } from './gateway/adyen-gateway.options';
export { ADYEN_RESULT_CODES, type AdyenResultOutcome } from './gateway/result-codes';
export { ADYEN_REFUSAL_REASONS, refusalReasonOf, type AdyenRefusalReason } from './gateway/refusal-reasons';
export { ADYEN_LIMITS, parseStoredPaymentMethod, type AdyenStoredPaymentMethod } from './gateway/adyen-requests';

// Errors
export { AdyenConnectionError, InvalidAdyenOptionError, InvalidAdyenRequestError, type AdyenConnectionFailure } from './errors/adyen.errors';

// Webhooks
export { AdyenWebhookVerifier, type AdyenWebhookVerifierOptions } from './webhooks/adyen-webhook.verifier';
export { InMemoryAdyenNotificationLog, type AdyenNotificationLog } from './webhooks/adyen-notification-log';
export { ADYEN_NOTIFICATION_EVENTS, notificationEventId, type AdyenNotificationItem } from './webhooks/adyen-notification-events';

// One account, both halves
export { createAdyenConnector, type AdyenConnector, type AdyenConnectorOptions } from './adyen-connector';
