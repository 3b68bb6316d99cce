import type { SimulatedGatewayProfile } from '../gateway/simulated-gateway.options';

/**
 * The four acquirers AegisPay ships simulations of, in the order `createSimulatedGateways` builds
 * them: the one place their names are declared (configuration schemas and experiment files take
 * them from here).
 */
export const SIMULATED_ACQUIRERS = Object.freeze(['STRIPE', 'PAYPAL', 'SQUARE', 'ADYEN'] as const);

/** The name of a simulated acquirer. */
export type SimulatedAcquirer = (typeof SIMULATED_ACQUIRERS)[number];

/**
 * The built-in profiles. Figures are plausible orders of magnitude for card-not-present traffic,
 * chosen to differ so that routing has real trade-offs; they are not the providers' prices or
 * performance.
 *
 * | | approval | technical failures | latency median / p95 | fees (examples) |
 * |---|---|---|---|---|
 * | STRIPE | 92 % | 1 % | 180 / 450 ms | USD 2.9 % + 0.30, EUR 1.5 % + 0.25, others 3.9 % |
 * | PAYPAL | 87 % | 2 % | 320 / 1 000 ms | USD 3.49 % + 0.49, EUR 2.99 % + 0.35, others 4.4 % |
 * | SQUARE | 89 % | 1.5 % | 220 / 600 ms | USD 2.9 % + 0.30, EUR 2.5 % + 0.25, others 3.5 % |
 * | ADYEN | 95 % | 0.5 % | 140 / 350 ms | USD 2.6 % + 0.13, EUR 1.9 % + 0.11, others 2.9 % |
 *
 * ADYEN approves most and answers fastest but costs more than STRIPE on large EUR tickets;
 * PAYPAL is the slowest and dearest; SQUARE sits between. Every profile uses the default decline
 * mix (about three declines in four soft) and default technical failures (all retryable).
 */
export const SIMULATED_GATEWAY_PROFILES: Readonly<Record<SimulatedAcquirer, SimulatedGatewayProfile>> = deepFreeze({
  STRIPE: {
    approvalRate: 0.92,
    technicalFailureRate: 0.01,
    latency: { medianMs: 180, p95Ms: 450 },
    fees: {
      default: { percentage: 3.9 },
      currencies: {
        USD: { percentage: 2.9, fixed: 30 },
        CAD: { percentage: 2.9, fixed: 30 },
        EUR: { percentage: 1.5, fixed: 25 },
        GBP: { percentage: 1.5, fixed: 20 },
        AUD: { percentage: 1.75, fixed: 30 },
        JPY: { percentage: 3.6 },
      },
    },
    chargePrefix: 'ch',
    refundPrefix: 're',
  },
  PAYPAL: {
    approvalRate: 0.87,
    technicalFailureRate: 0.02,
    latency: { medianMs: 320, p95Ms: 1000 },
    fees: {
      default: { percentage: 4.4 },
      currencies: {
        USD: { percentage: 3.49, fixed: 49 },
        CAD: { percentage: 2.9, fixed: 30 },
        EUR: { percentage: 2.99, fixed: 35 },
        GBP: { percentage: 2.9, fixed: 30 },
        AUD: { percentage: 2.6, fixed: 30 },
        JPY: { percentage: 3.6, fixed: 40 },
      },
    },
    chargePrefix: 'pp',
    refundPrefix: 'pprf',
  },
  SQUARE: {
    approvalRate: 0.89,
    technicalFailureRate: 0.015,
    latency: { medianMs: 220, p95Ms: 600 },
    fees: {
      default: { percentage: 3.5 },
      currencies: {
        USD: { percentage: 2.9, fixed: 30 },
        CAD: { percentage: 2.9, fixed: 30 },
        EUR: { percentage: 2.5, fixed: 25 },
        GBP: { percentage: 2.5, fixed: 20 },
        AUD: { percentage: 2.2 },
        JPY: { percentage: 3.25 },
      },
    },
    chargePrefix: 'sq',
    refundPrefix: 'sqrf',
  },
  ADYEN: {
    approvalRate: 0.95,
    technicalFailureRate: 0.005,
    latency: { medianMs: 140, p95Ms: 350 },
    fees: {
      default: { percentage: 2.9 },
      currencies: {
        USD: { percentage: 2.6, fixed: 13 },
        CAD: { percentage: 2.6, fixed: 15 },
        EUR: { percentage: 1.9, fixed: 11 },
        GBP: { percentage: 1.9, fixed: 10 },
        AUD: { percentage: 2.1, fixed: 15 },
        JPY: { percentage: 2.8, fixed: 15 },
      },
    },
    chargePrefix: 'psp',
    refundPrefix: 'psprf',
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}
