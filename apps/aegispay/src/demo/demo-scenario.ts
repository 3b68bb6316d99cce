import { ChaosErrorType, type ChaosConfig } from '@aegispay/chaos';

/** A window of the payment stream, as fractions of it: `[start, end)`. */
export interface StreamWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * What happens to the gateways during the demo, by position in the payment stream (so a replay of
 * the same stream meets every event at the same payment, and at the same virtual time: arrivals
 * are part of the stream).
 */
export interface DemoScenario {
  /** The routing favourite is taken down (every call answered 503) for this window. */
  readonly outage: StreamWindow;
  /** Chaos is injected into every gateway for this window. */
  readonly chaos: StreamWindow;
  /** What the chaos window injects (its `enabled` is ignored: the window switches it). */
  readonly chaosConfig: ChaosConfig;
}

/**
 * The chaos of the demo's chaos window: 15 % of charges fail before reaching the gateway
 * (network error, 503, 429, 500), 5 % time out after 5 s (half of them after the gateway charged:
 * the answer is lost), 20 % are slowed by 0.1–2 s.
 */
export const DEFAULT_DEMO_CHAOS: ChaosConfig = Object.freeze({
  failureRate: 0.15,
  errorTypes: Object.freeze([ChaosErrorType.NETWORK_ERROR, ChaosErrorType.SERVICE_UNAVAILABLE, ChaosErrorType.RATE_LIMITED, ChaosErrorType.INTERNAL_ERROR]),
  timeoutRate: 0.05,
  timeoutMs: 5_000,
  timeoutPhase: 'MIXED',
  latencyRate: 0.2,
  latencyMs: Object.freeze({ min: 100, max: 2_000 }),
});

/**
 * Cascades of the demo's chaos window: a failure on one gateway raises the others' failure rate by
 * 10 points for 2 s. `ChaosScope`'s defaults (30 points for 10 s) keep every gateway above a 50 %
 * failure rate for as long as any chaos is on, which opens all four breakers at once: a total
 * outage rather than the degraded weather the window is meant to show.
 */
export const DEMO_CASCADE = Object.freeze({ boost: 0.1, durationMs: 2_000 });

/** Outage of the favourite from 20 % to 45 % of the stream, chaos from 65 % to 85 %. */
export const DEFAULT_DEMO_SCENARIO: DemoScenario = Object.freeze({
  outage: Object.freeze({ start: 0.2, end: 0.45 }),
  chaos: Object.freeze({ start: 0.65, end: 0.85 }),
  chaosConfig: DEFAULT_DEMO_CHAOS,
});

/** The payment indices at which a window opens and closes, for a stream of `payments`. */
export function windowIndices(window: StreamWindow, payments: number): { readonly start: number; readonly end: number } {
  return { start: Math.floor(window.start * payments), end: Math.floor(window.end * payments) };
}
