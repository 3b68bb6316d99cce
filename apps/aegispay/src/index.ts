// The public entry of the app: compose your own server from the container, its tokens and its
// modules (see "Swap an adapter" in the README). Everything else under src/ is the app's own.

// The container
export { createAppContainer, type AppContainer, type AppContainerOptions } from './composition/app-container';
export { AppCloseError, AppRuntime, type AppRuntimeParts, type ClosableGateway, type CloseFailure, type RuntimeLoop } from './composition/app-runtime';
export { loadBindings, type AegisPayBindings } from './composition/bindings.loader';
export { token, TOKENS, type Token } from './composition/tokens';

// Its modules, in the order `createAppContainer` loads them
export { systemModule, type SystemBindings } from './composition/system.module';
export { inMemoryPersistenceModule, typeOrmPersistenceModule } from './composition/persistence.module';
export { gatewaysModule } from './composition/gateways.module';
export { createPspConnectors, type PspConnector } from './composition/psp-connectors';
export { PaymentMethodEligibility, PaymentMethodRoutingEngine } from './composition/payment-method-routing';
export { paymentsModule } from './composition/payments.module';
export { EventLog } from './composition/event-log.publisher';

// The HTTP API, as a module of the same container
export { httpModule, HTTP_DEFAULTS, type HttpModuleOptions } from './http/http.module';
export { HTTP_TOKENS, type HttpSettings } from './http/http.tokens';
export { HttpServer } from './http/http-server';

// Configuration and logging
export { ConfigurationError, loadConfig, type AppConfig, type LoadConfigOptions } from './config/app-config';
export { DEFAULT_TOKEN_PATTERNS, type AdyenSettings, type StripeSettings } from './config/connector-settings';
export { GATEWAY_NAMES, PSP_CONNECTORS, type GatewayName, type PspConnectorName } from './config/gateway-names';
export { Secret } from './config/secret';
export { createAppLogger } from './logging/app-logger';
