import type { Random } from '@aegispay/domain';
import { check } from '../options/option-checks';

/** The standard normal quantile of 0.95. */
const Z_95 = 1.6448536269514722;

/** Options of {@link LogNormalLatency}. */
export interface LogNormalLatencyOptions {
  /** Median round-trip time, ms (≥ 0). 0 together with `p95Ms` 0 means "answers at once". */
  readonly medianMs: number;
  /** 95th percentile of the round-trip time, ms (≥ `medianMs`; equal to it for a constant latency). */
  readonly p95Ms: number;
}

/**
 * A log-normal latency distribution fixed by its median and 95th percentile, the usual shape of
 * network and service response times (a floor-like body and a long right tail). Samples are whole
 * milliseconds and use exactly one draw of the `Random` each, so a seeded run replays exactly.
 */
export class LogNormalLatency {
  readonly medianMs: number;
  readonly p95Ms: number;
  private readonly mu: number;
  private readonly sigma: number;

  /**
   * @param optionPrefix path of these options in the caller's options, for error messages.
   * @throws InvalidOptionError `GATEWAY.INVALID_OPTION` when a value is negative or not finite, when `p95Ms` is below
   *   `medianMs`, or when the median is 0 but the p95 is not (no log-normal has that shape).
   */
  constructor(options: LogNormalLatencyOptions, optionPrefix = 'latency') {
    const medianMs = check.number(`${optionPrefix}.medianMs`, options.medianMs, undefined, { min: 0 });
    const p95Ms = check.number(`${optionPrefix}.p95Ms`, options.p95Ms, undefined, { min: 0 });
    if (p95Ms < medianMs) {
      throw check.invalid(`${optionPrefix}.p95Ms`, `must be ≥ medianMs (${medianMs})`, p95Ms);
    }
    if (medianMs === 0 && p95Ms > 0) {
      throw check.invalid(`${optionPrefix}.medianMs`, 'must be above 0 when p95Ms is above 0', medianMs);
    }
    this.medianMs = medianMs;
    this.p95Ms = p95Ms;
    this.mu = medianMs > 0 ? Math.log(medianMs) : 0;
    this.sigma = medianMs > 0 ? Math.log(p95Ms / medianMs) / Z_95 : 0;
  }

  /** True when every sample is 0 (no waiting at all). */
  get isZero(): boolean {
    return this.medianMs === 0;
  }

  /** One sample, whole ms, from one draw of `random`. */
  sample(random: Random): number {
    return this.quantile(random.next());
  }

  /** The latency at cumulative probability `p` in [0, 1), whole ms. `quantile(0.5)` is the median. */
  quantile(p: number): number {
    if (this.sigma === 0) return Math.round(this.medianMs);
    if (!(p > 0)) return 0;
    return Math.round(Math.exp(this.mu + this.sigma * inverseStandardNormal(p)));
  }
}

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** The standard normal quantile Φ⁻¹(p) for p in (0, 1). */
export function inverseStandardNormal(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - P_LOW) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

function tail(q: number): number {
  return (
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  );
}
