/**
 * The name of a payment gateway, as its adapter calls itself (`PaymentGateway.name`): `STRIPE`,
 * `ADYEN`, `ACME_BANK`. The domain knows no gateway by name; the names of the simulated acquirers
 * are `SIMULATED_ACQUIRERS` of `@aegispay/gateways`, and a real connector names itself.
 */
export type GatewayType = string;
