/**
 * The name of a payment gateway. The four simulated acquirers are named; any other string names a
 * custom gateway (`(string & {})` keeps editor completion for the known names).
 */
export type GatewayType = 'STRIPE' | 'PAYPAL' | 'SQUARE' | 'ADYEN' | (string & {});

/** The gateways AegisPay ships simulated acquirers for. */
export const KNOWN_GATEWAYS: readonly GatewayType[] = Object.freeze(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN']);
