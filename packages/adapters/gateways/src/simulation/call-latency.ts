import type { LatencyOptions } from '../gateway/simulated-gateway.options';
import { check } from '../options/option-checks';
import { LogNormalLatency } from './latency-distribution';

/**
 * @internal How one call's time divides: the request's way to the gateway, the gateway's
 * processing, the answer's way back.
 */
export interface NetworkLegs {
  readonly request: number;
  readonly processing: number;
  readonly response: number;
}

const NO_WAIT: NetworkLegs = Object.freeze({ request: 0, processing: 0, response: 0 });

/** @internal A simulated gateway's call latency (see {@link LatencyOptions}): its distribution and how each call's time splits into legs. */
export class CallLatency {
  /** The round-trip distribution, before run-time additions. */
  readonly distribution: LogNormalLatency;
  private readonly requestShare: number;
  private readonly responseShare: number;

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` naming the bad `latency.*` option. */
  constructor(options: LatencyOptions | undefined) {
    const latency = check.object('latency', options, { medianMs: 0, p95Ms: 0 });
    this.distribution = new LogNormalLatency(latency, 'latency');
    this.requestShare = check.rate('latency.requestShare', latency.requestShare, 0.15);
    this.responseShare = check.rate('latency.responseShare', latency.responseShare, 0.15);
    if (this.requestShare + this.responseShare > 1) {
      throw check.invalid('latency.responseShare', `must leave requestShare + responseShare ≤ 1 (requestShare is ${this.requestShare})`, this.responseShare);
    }
  }

  /**
   * The legs of a call whose round trip is the distribution's quantile at `draw` plus `extraMs`:
   * `requestShare` and `responseShare` of it travel (rounded to whole ms), the rest is processing.
   */
  legs(draw: number, extraMs: number): NetworkLegs {
    const total = this.distribution.quantile(draw) + extraMs;
    if (total <= 0) return NO_WAIT;
    const request = Math.round(total * this.requestShare);
    const response = Math.min(Math.round(total * this.responseShare), total - request);
    return { request, processing: total - request - response, response };
  }
}
