import type { CreatePaymentInput, PaymentMethodType, Random } from '@aegispay/domain';
import { SeededRandom } from '@aegispay/domain/testing';
import { inverseStandardNormal } from '@aegispay/gateways';

/** One payment of a {@link PaymentStream}: when it arrives and what the merchant asks for. */
export interface StreamedPayment {
  /** Position in the stream, from 0. */
  readonly index: number;
  /** Arrival, in ms after the start of the stream. */
  readonly arrivalMs: number;
  readonly request: CreatePaymentInput;
}

/** Options of {@link PaymentStream}. */
export interface PaymentStreamOptions {
  /** Seeds every draw: the same seed gives the same stream. */
  readonly seed: number;
  /** Mean arrival rate (Poisson arrivals), payments per second. Defaults to 10. */
  readonly ratePerSecond?: number;
  /**
   * Prefix of the idempotency keys (`<prefix>-<index>`), unique per run so that a second run on
   * the same database is not answered from the first run's keys. Letters, digits and dashes.
   */
  readonly keyPrefix: string;
}

interface Merchant {
  readonly id: string;
  readonly weight: number;
  /** Median ticket in major units and the log-normal spread. */
  readonly medianAmount: number;
  readonly spread: number;
}

// Three merchants with different baskets, so amounts range from a few euros to a few thousand.
const MERCHANTS: readonly Merchant[] = [
  { id: 'merchant_books', weight: 0.5, medianAmount: 25, spread: 0.7 },
  { id: 'merchant_games', weight: 0.3, medianAmount: 12, spread: 0.9 },
  { id: 'merchant_travel', weight: 0.2, medianAmount: 240, spread: 0.8 },
];
const CURRENCIES: readonly { readonly code: string; readonly weight: number; readonly countries: readonly string[] }[] = [
  { code: 'EUR', weight: 0.55, countries: ['DE', 'FR', 'NL', 'ES'] },
  { code: 'USD', weight: 0.35, countries: ['US'] },
  { code: 'GBP', weight: 0.1, countries: ['GB'] },
];
const METHODS: readonly { readonly type: PaymentMethodType; readonly weight: number }[] = [
  { type: 'CARD', weight: 0.8 },
  { type: 'WALLET', weight: 0.2 },
];
/**
 * Cards every issuer declines, whatever the gateway (the simulated gateways' magic tokens): a
 * real stream has them, and they hit a single gateway and the orchestrator alike.
 */
const PROBLEM_CARDS: readonly { readonly token: string; readonly weight: number }[] = [
  { token: 'tok_decline_insufficient_funds', weight: 0.015 },
  { token: 'tok_decline_expired_card', weight: 0.007 },
  { token: 'tok_decline_stolen_card', weight: 0.003 },
];
const CUSTOMERS = 600;

/**
 * A reproducible stream of realistic payment requests with Poisson arrivals: three merchants
 * with different baskets (log-normal amounts), EUR/USD/GBP with matching countries, cards and
 * wallets, a few cards every issuer declines. Payments are generated in order from one seeded
 * generator, so `at(i)` is the same whatever order it is asked in, and two runs with the same
 * seed see exactly the same traffic.
 */
export class PaymentStream {
  private readonly random: Random;
  private readonly meanGapMs: number;
  private readonly generated: StreamedPayment[] = [];
  /** Arrival time of the last payment generated, ms (fractional: rounded per payment, not cumulatively). */
  private elapsedMs = 0;

  constructor(private readonly options: PaymentStreamOptions) {
    this.random = new SeededRandom(options.seed);
    const rate = options.ratePerSecond ?? 10;
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`PaymentStream: ratePerSecond must be a positive number, got ${rate}`);
    if (!/^[A-Za-z][A-Za-z-]{0,63}$/.test(options.keyPrefix)) throw new RangeError(`PaymentStream: keyPrefix must be letters and dashes, got ${options.keyPrefix}`);
    this.meanGapMs = 1000 / rate;
  }

  /** The payment at `index` (from 0). */
  at(index: number): StreamedPayment {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`PaymentStream: index must be a whole number, got ${index}`);
    while (this.generated.length <= index) this.generated.push(this.generate(this.generated.length));
    return this.generated[index] as StreamedPayment;
  }

  /** The first `count` payments. */
  take(count: number): readonly StreamedPayment[] {
    if (count > 0) this.at(count - 1);
    return this.generated.slice(0, count);
  }

  private generate(index: number): StreamedPayment {
    // Every payment draws the same number of values, whatever it turns out to be.
    const [gap, merchantDraw, amountDraw, currencyDraw, countryDraw, methodDraw, customerDraw, problemDraw] = Array.from({ length: 8 }, () => this.random.next()) as [
      number, number, number, number, number, number, number, number,
    ];
    this.elapsedMs += -Math.log(1 - gap) * this.meanGapMs;
    const merchant = pick(MERCHANTS, merchantDraw);
    const currency = pick(CURRENCIES, currencyDraw);
    const country = currency.countries[Math.min(currency.countries.length - 1, Math.floor(countryDraw * currency.countries.length))] as string;
    const method = pick(METHODS, methodDraw);
    const customer = Math.floor(customerDraw * CUSTOMERS);
    const problem = pickOptional(PROBLEM_CARDS, problemDraw);
    const customerId = `cus_${customer.toString(36).padStart(3, 'a')}`;
    const token = problem?.token ?? `tok_${method.type === 'CARD' ? 'card' : 'wallet'}_${customerId.slice(4)}`;
    return {
      index,
      arrivalMs: Math.round(this.elapsedMs),
      request: {
        merchantId: merchant.id,
        amount: amountOf(merchant, amountDraw),
        currency: currency.code,
        paymentMethod: { type: method.type, token },
        customerId,
        idempotencyKey: `${this.options.keyPrefix}-${index}`,
        metadata: { country, channel: customer % 3 === 0 ? 'app' : 'web' },
      },
    };
  }
}

/** Log-normal amount in minor units, between 1.00 and 5 000.00. */
function amountOf(merchant: Merchant, draw: number): number {
  const normal = inverseStandardNormal(Math.min(Math.max(draw, 1e-9), 1 - 1e-9));
  const major = merchant.medianAmount * Math.exp(merchant.spread * normal);
  return Math.min(500_000, Math.max(100, Math.round(major * 100)));
}

function pick<T extends { readonly weight: number }>(items: readonly T[], draw: number): T {
  let total = 0;
  for (const item of items) total += item.weight;
  let threshold = draw * total;
  for (const item of items) {
    threshold -= item.weight;
    if (threshold < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** An item with probability equal to its weight (weights sum below 1), else undefined. */
function pickOptional<T extends { readonly weight: number }>(items: readonly T[], draw: number): T | undefined {
  let threshold = draw;
  for (const item of items) {
    threshold -= item.weight;
    if (threshold < 0) return item;
  }
  return undefined;
}
