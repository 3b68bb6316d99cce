import type { HookInvocation } from '../context/hook-context';
import type { FraudCheckHook, FraudCheckResult } from '../hooks/fraud-check.hook';
import { hookOptionChecks } from '../errors/hook.errors';
import type { BuiltInCheckOptions } from './built-in-check.options';

/** Options of {@link GeographicFraudCheck}. */
export interface GeographicFraudCheckOptions extends BuiltInCheckOptions {
  /**
   * Metadata keys holding a country code, read from both the payment's metadata and the
   * context's (for example an enrichment's `ipCountry`). Defaults to `['country']`.
   */
  readonly countryKeys?: readonly string[];
  /** Score of a refusal, 0–1. Defaults to 1. */
  readonly riskScore?: number;
}

const OWNER = 'GeographicFraudCheck';
const checks = hookOptionChecks(OWNER);

/**
 * Refuses a payment tied to a blocked country. Every country the payment carries is checked —
 * the payment's `metadata.country` and the context's `metadata.country` (and any other
 * `countryKeys`) — so a blocked country cannot hide behind an allowed one. Codes compare
 * case-insensitively. A payment with no country passes.
 */
export class GeographicFraudCheck implements FraudCheckHook {
  readonly name: string;
  readonly priority: number;
  readonly enabled = true;
  private readonly blocked: ReadonlySet<string>;
  private readonly countryKeys: readonly string[];
  private readonly riskScore: number;

  /**
   * @param blockedCountries ISO 3166-1 alpha-2 codes (`['KP', 'XX']`).
   * @throws InvalidOptionError `HOOK.INVALID_OPTION` for a blank code or key.
   */
  constructor(blockedCountries: readonly string[], options: GeographicFraudCheckOptions = {}) {
    if (!Array.isArray(blockedCountries) || !blockedCountries.every(isNonBlank)) {
      throw checks.invalid('blockedCountries', 'must be an array of country codes', blockedCountries);
    }
    const countryKeys = checks.nonEmptyArray('countryKeys', options.countryKeys, ['country']);
    if (!countryKeys.every(isNonBlank)) throw checks.invalid('countryKeys', 'must be a non-empty array of metadata keys', countryKeys);
    this.blocked = new Set(blockedCountries.map(normalise));
    this.countryKeys = Object.freeze([...countryKeys]);
    this.name = options.name ?? OWNER;
    this.priority = options.priority ?? 90;
    this.riskScore = checks.rate('riskScore', options.riskScore, 1);
  }

  /** The blocked codes, upper case. */
  get blockedCountries(): readonly string[] {
    return [...this.blocked];
  }

  execute(context: HookInvocation): FraudCheckResult {
    const sources: [string, Readonly<Record<string, unknown>>][] = [
      ['payment.metadata', context.payment.metadata],
      ['context.metadata', context.metadata],
    ];
    for (const [source, metadata] of sources) {
      for (const key of this.countryKeys) {
        const value = metadata[key];
        if (typeof value !== 'string') continue;
        const country = normalise(value);
        if (this.blocked.has(country)) {
          return {
            allowed: false,
            riskScore: this.riskScore,
            reason: `Payments from country ${country} are not accepted`,
            metadata: { country, source: `${source}.${key}` },
          };
        }
      }
    }
    return { allowed: true, riskScore: 0 };
  }
}

function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function normalise(code: string): string {
  return code.trim().toUpperCase();
}
