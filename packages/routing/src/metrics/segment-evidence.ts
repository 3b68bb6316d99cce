import { isCurrencyCode, isPaymentMethodType, type GatewayType, type PaymentMethodType } from '@aegispay/domain';
import { InvalidPaymentOutcomeError } from '../errors/routing.errors';

/**
 * The facts that tell payments apart for routing: approval rates differ by payment method,
 * currency, amount, card network, issuer country and merchant. Give the same facts when
 * recording an outcome (`GatewayAttemptOutcome.segment`) as when routing (a `RoutingRequest`,
 * or a `Payment`'s method, currency, merchant and `metadata.country`/`metadata.cardNetwork`).
 */
export interface RoutingSegment {
  /** ISO 4217 code, upper case. */
  readonly currency: string;
  readonly paymentMethodType: PaymentMethodType;
  readonly cardNetwork?: string;
  /** ISO 3166 alpha-2, upper case. */
  readonly issuerCountry?: string;
  readonly merchantId?: string;
}

/**
 * Upper bounds (exclusive, minor units) of the amount bands: below 10.00, 10.00–99.99,
 * 100.00–999.99, 1 000.00 and more (in a currency of two decimals).
 */
export const AMOUNT_BAND_LIMITS: readonly number[] = Object.freeze([1_000, 10_000, 100_000]);

/**
 * Pseudo-outcomes of the gateway-level rate in a segment's estimate: a segment's own rate counts
 * for `n / (n + SEGMENT_PRIOR_STRENGTH)` of its outcomes `n`, the gateway's for the rest, so a
 * thin segment reads almost the gateway's rate and a well-known one its own.
 */
export const SEGMENT_PRIOR_STRENGTH = 20;

/** @internal The key of a segment and amount band (amounts in minor units). */
export function segmentKey(segment: RoutingSegment, amount: number): string {
  let band = 0;
  while (band < AMOUNT_BAND_LIMITS.length && amount >= (AMOUNT_BAND_LIMITS[band] as number)) band += 1;
  return `${segment.paymentMethodType}|${segment.currency}|${band}|${segment.cardNetwork ?? ''}|${segment.issuerCountry ?? ''}|${segment.merchantId ?? ''}`;
}

/**
 * @internal Checks the `segment` of an outcome.
 * @throws InvalidPaymentOutcomeError naming the field (`segment.currency`, …).
 */
export function checkSegment(segment: unknown): asserts segment is RoutingSegment {
  if (typeof segment !== 'object' || segment === null) {
    throw new InvalidPaymentOutcomeError('segment', 'segment must be an object such as { currency: "EUR", paymentMethodType: "CARD" } when given.');
  }
  const { currency, paymentMethodType, cardNetwork, issuerCountry, merchantId } = segment as Partial<RoutingSegment>;
  if (!isCurrencyCode(currency)) throw new InvalidPaymentOutcomeError('segment.currency', 'segment.currency must be an ISO 4217 code such as "EUR".');
  if (!isPaymentMethodType(paymentMethodType)) {
    throw new InvalidPaymentOutcomeError('segment.paymentMethodType', 'segment.paymentMethodType must be a payment method type such as "CARD".');
  }
  for (const [field, value] of [
    ['cardNetwork', cardNetwork],
    ['merchantId', merchantId],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.length === 0 || value.length > 100)) {
      throw new InvalidPaymentOutcomeError(`segment.${field}`, `segment.${field} must be a string of 1–100 characters when given.`);
    }
  }
  if (issuerCountry !== undefined && (typeof issuerCountry !== 'string' || !/^[A-Z]{2}$/.test(issuerCountry))) {
    throw new InvalidPaymentOutcomeError('segment.issuerCountry', 'segment.issuerCountry must be an ISO 3166 alpha-2 code such as "DE" when given.');
  }
}

/** Recency-weighted approvals and misses, faded lazily by the collector's step. */
class Tally {
  approvals = 0;
  misses = 0;
  at = 0;

  add(logDecay: number, now: number, approved: boolean): void {
    const fade = now > this.at ? Math.exp((now - this.at) * logDecay) : 1;
    this.approvals = this.approvals * fade + (approved ? 1 : 0);
    this.misses = this.misses * fade + (approved ? 0 : 1);
    this.at = now;
  }
}

/**
 * @internal Approval evidence per gateway × segment, at most `capacity` cells: recording into a
 * new cell beyond it drops the least recently recorded one. A segment's estimate is shrunk
 * towards the gateway's rate over every segmented outcome (`SEGMENT_PRIOR_STRENGTH`); the engine
 * reads it as a shift from the gateway's rate, which itself is shrunk towards the best gateway's.
 * The shift is relative, so a gateway's outage (seen at the gateway level at once) is not masked
 * by its segments' older evidence.
 */
export class SegmentEvidence {
  private readonly cells = new Map<string, Tally>();
  private readonly totals = new Map<GatewayType, Tally>();

  constructor(
    readonly capacity: number,
    private readonly logDecay: number,
  ) {}

  /** Cells held (never above `capacity`). */
  get size(): number {
    return this.cells.size;
  }

  record(gateway: GatewayType, key: string, now: number, approved: boolean): void {
    let total = this.totals.get(gateway);
    if (total === undefined) {
      total = new Tally();
      this.totals.set(gateway, total);
    }
    total.add(this.logDecay, now, approved);
    const cellKey = `${gateway}\u0000${key}`;
    let cell = this.cells.get(cellKey);
    if (cell === undefined) {
      cell = new Tally();
      if (this.cells.size >= this.capacity) {
        const eldest = this.cells.keys().next().value;
        if (eldest !== undefined) this.cells.delete(eldest);
      }
    } else {
      // Re-inserted: a Map keeps insertion order, so the first key is the least recently recorded.
      this.cells.delete(cellKey);
    }
    cell.add(this.logDecay, now, approved);
    this.cells.set(cellKey, cell);
  }

  /**
   * How far the segment's shrunk approval estimate lies from the gateway's rate over its
   * segmented outcomes (0 without evidence): `(a − n·p) / (n + SEGMENT_PRIOR_STRENGTH)`.
   */
  shift(gateway: GatewayType, key: string): number {
    const cell = this.cells.get(`${gateway}\u0000${key}`);
    const total = this.totals.get(gateway);
    if (cell === undefined || total === undefined) return 0;
    // Both faded to the same step: the fade cancels in the ratio of the total and scales the cell alike.
    const fade = Math.exp((total.at - cell.at) * this.logDecay);
    const n = (cell.approvals + cell.misses) * fade;
    const all = total.approvals + total.misses;
    if (n === 0 || all === 0) return 0;
    const rate = total.approvals / all;
    return (cell.approvals * fade - n * rate) / (n + SEGMENT_PRIOR_STRENGTH);
  }
}
