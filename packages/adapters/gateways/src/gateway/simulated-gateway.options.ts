import type { Clock, GatewayType, IdGenerator, Random } from '@aegispay/domain';
import type { DeclineMixEntry } from '../simulation/decline-codes';
import type { FeeScheduleOptions } from '../simulation/fee-schedule';
import type { LogNormalLatencyOptions } from '../simulation/latency-distribution';
import type { TechnicalFailureMixEntry } from '../simulation/technical-failures';

/**
 * How long a call takes and how that time divides. Each call samples one round-trip time from a
 * log-normal distribution (median and p95), then splits it: the request travels
 * (`requestShare`), the gateway works (the rest), the response travels back (`responseShare`).
 */
export interface LatencyOptions extends LogNormalLatencyOptions {
  /**
   * Share of each call's latency before the request reaches the gateway. A caller that aborts
   * within it charged nothing. In [0, 1]. Defaults to 0.15.
   */
  readonly requestShare?: number;
  /**
   * Share of each call's latency carrying the response back, after the gateway has decided and
   * written its ledger. In [0, 1], with `requestShare + responseShare ≤ 1`. Defaults to 0.15.
   */
  readonly responseShare?: number;
}

/** The behaviour of a simulated gateway: its rates, latency, fees and answers. */
export interface SimulatedGatewayProfile {
  /**
   * Probability that a charge the gateway processes is approved (the others are declined with a
   * code of `declineMix`). Technical failures happen before processing and are not counted
   * here: the observed approval share of all charges is `(1 − technicalFailureRate) × approvalRate`.
   * In [0, 1]. Defaults to 1.
   */
  readonly approvalRate?: number;
  /**
   * Probability that a new request fails before processing with a retryable technical failure of
   * `technicalFailureMix` (nothing charged, nothing recorded). In [0, 1]. Defaults to 0.
   */
  readonly technicalFailureRate?: number;
  /** Latency of every call (charge, refund, getStatus). Defaults to none: every call answers at once. */
  readonly latency?: LatencyOptions;
  /** Fees of approved charges. Defaults to none (a fee of zero). */
  readonly fees?: FeeScheduleOptions;
  /** Decline codes and their relative frequencies. Defaults to `DEFAULT_DECLINE_MIX`. */
  readonly declineMix?: readonly DeclineMixEntry[];
  /** Technical failures and their relative frequencies. Defaults to `DEFAULT_TECHNICAL_FAILURE_MIX`. */
  readonly technicalFailureMix?: readonly TechnicalFailureMixEntry[];
  /** Prefix of the gateway's charge identifiers (`ch` gives `ch_…`). Defaults to `ch`. */
  readonly chargePrefix?: string;
  /** Prefix of the gateway's refund identifiers. Defaults to `re`. */
  readonly refundPrefix?: string;
}

/** The time, randomness and identity ports of a simulated gateway. */
export interface SimulatedGatewayPorts {
  /** Where the gateway waits. Defaults to the system clock; pass a `VirtualClock`/`FakeClock` for virtual time. */
  readonly clock?: Clock;
  /** Source of every random decision. Defaults to `CryptoRandom`; pass a seeded `Random` to replay a run. */
  readonly random?: Random;
  /** Generator of the gateway's charge and refund identifiers. Defaults to `CryptoIdGenerator`. */
  readonly ids?: IdGenerator;
}

/** Options of `SimulatedGateway`. */
export interface SimulatedGatewayOptions extends SimulatedGatewayProfile, SimulatedGatewayPorts {
  /** The gateway's name (`STRIPE`, or any name of a custom gateway). Required. */
  readonly name: GatewayType;
}

/** How a gateway taken down behaves. */
export type DownMode =
  /** Every call fails at once: `TECHNICAL_FAILURE` `SERVICE_UNAVAILABLE` (503), status `UNKNOWN`. */
  | 'FAST_FAIL'
  /** Every call hangs: requests are swallowed unanswered until the caller aborts or the gateway is brought back. */
  | 'BLACKHOLE';

/** Whether a gateway answers: `UP`, or down in one of the {@link DownMode}s. */
export type GatewayAvailability = 'UP' | DownMode;

/** A run-time degradation of a gateway's rates. Omitted fields are left as they are. */
export interface DegradeOptions {
  /** New approval rate, in [0, 1]. */
  readonly approvalRate?: number;
  /** New technical failure rate, in [0, 1]. */
  readonly technicalFailureRate?: number;
}

/** What the run-time controls of a gateway are set to. */
export interface GatewayControlState {
  readonly availability: GatewayAvailability;
  readonly approvalRate: number;
  readonly technicalFailureRate: number;
  /** Latency added to every call on top of the profile's, ms. */
  readonly extraLatencyMs: number;
}

/** Counters of the calls a gateway received (technical failures leave no ledger entry, so they are counted here). */
export interface GatewayCallStats {
  readonly charges: number;
  readonly refunds: number;
  readonly statusChecks: number;
  /** Charges and refunds that failed before processing (`technicalFailureRate`). */
  readonly technicalFailures: number;
  /** Calls answered `SERVICE_UNAVAILABLE` / `UNKNOWN` because the gateway was down in `FAST_FAIL` mode. */
  readonly unavailable: number;
  /** Calls swallowed by a `BLACKHOLE`. */
  readonly blackholed: number;
  /** Charges whose reference was already in the ledger, answered with the first result. */
  readonly replays: number;
  /** Charges that arrived after their `deadline`: refused unrecorded (`REQUEST_EXPIRED`). */
  readonly expired: number;
}
