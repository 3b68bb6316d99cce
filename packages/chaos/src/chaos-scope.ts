import { ValidationError } from '@aegispay/domain';

/** Options of {@link ChaosScope}. */
export interface ChaosScopeOptions {
  /**
   * How much a failure on one gateway raises the failure probability of the gateways linked to
   * it, added to their `failureRate` (capped so that all rates together stay ≤ 1). In (0, 1].
   * Defaults to 0.3.
   */
  readonly boost?: number;
  /** How long the raise lasts after the last triggering failure, in ms of the gateways' clock. Defaults to 10 000 ms. */
  readonly durationMs?: number;
  /**
   * Which gateways a failure spreads to: `{ STRIPE: ['PAYPAL'] }` means failures on STRIPE raise
   * PAYPAL's failure probability (not the reverse). Defaults to every member linked to every other.
   */
  readonly links?: Readonly<Record<string, readonly string[]>>;
}

/** Counters of a {@link ChaosScope}. */
export interface ChaosScopeStats {
  readonly members: readonly string[];
  /** Failures that raised the failure probability of at least one linked gateway. */
  readonly triggers: number;
  /** Per gateway, until when (epoch ms) its failure probability is raised; absent when never. */
  readonly boostedUntil: Readonly<Record<string, number>>;
}

/**
 * A shared chaos scope for cascading failures: chaos gateways created with the same scope are
 * linked, and a technical failure on one of them (injected or real, but not one caused by the
 * cascade itself) raises the failure probability of the gateways it is linked to by `boost` for
 * `durationMs`. Cascade-caused failures do not trigger further raises, so a scope cannot lock
 * itself into permanent failure.
 */
export class ChaosScope {
  /** The raise added to a linked gateway's failure probability. */
  readonly boost: number;
  /** How long a raise lasts, in ms. */
  readonly durationMs: number;
  private readonly links: Readonly<Record<string, readonly string[]>> | null;
  private readonly members = new Set<string>();
  private readonly until = new Map<string, number>();
  private triggers = 0;

  constructor(options: ChaosScopeOptions = {}) {
    const boost = options.boost ?? 0.3;
    if (typeof boost !== 'number' || !(boost > 0 && boost <= 1)) {
      throw new ValidationError('CHAOS.INVALID_SCOPE', 'boost', `ChaosScope.boost must be in (0, 1], got ${String(boost)}.`);
    }
    const durationMs = options.durationMs ?? 10_000;
    if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs <= 0) {
      throw new ValidationError(
        'CHAOS.INVALID_SCOPE',
        'durationMs',
        `ChaosScope.durationMs must be a positive number of ms, got ${String(durationMs)}.`,
      );
    }
    const links = options.links;
    if (links !== undefined) {
      if (typeof links !== 'object' || links === null || Array.isArray(links)) {
        throw new ValidationError('CHAOS.INVALID_SCOPE', 'links', 'ChaosScope.links must map a gateway to the gateways its failures spread to, e.g. { STRIPE: [\'PAYPAL\'] }.');
      }
      for (const [from, targets] of Object.entries(links)) {
        // A string here would spread failures to its letters, not to a gateway.
        if (!Array.isArray(targets) || targets.some((target) => typeof target !== 'string' || target === '')) {
          throw new ValidationError('CHAOS.INVALID_SCOPE', `links.${from}`, `ChaosScope.links.${from} must be a list of gateway names.`);
        }
      }
    }
    this.boost = boost;
    this.durationMs = durationMs;
    this.links = links === undefined ? null : Object.freeze(Object.fromEntries(Object.entries(links).map(([from, targets]) => [from, Object.freeze([...targets])])));
  }

  /** Adds a gateway to the scope (a `ChaosGateway` does it when created with this scope). */
  register(gateway: string): void {
    this.members.add(gateway);
  }

  /** The gateways a failure on `gateway` spreads to. */
  linkedTo(gateway: string): readonly string[] {
    if (this.links !== null) return Object.prototype.hasOwnProperty.call(this.links, gateway) ? (this.links[gateway] as readonly string[]) : [];
    return [...this.members].filter((member) => member !== gateway);
  }

  /** Records a technical failure on `gateway` at `at` (epoch ms): raises its linked gateways until `at + durationMs`. */
  recordFailure(gateway: string, at: number): void {
    const targets = this.linkedTo(gateway);
    if (targets.length === 0) return;
    this.triggers += 1;
    for (const target of targets) {
      this.until.set(target, Math.max(this.until.get(target) ?? Number.NEGATIVE_INFINITY, at + this.durationMs));
    }
  }

  /** The raise of `gateway`'s failure probability at `at`: `boost` while a cascade is active, else 0. */
  boostFor(gateway: string, at: number): number {
    const until = this.until.get(gateway);
    return until !== undefined && at < until ? this.boost : 0;
  }

  /** A JSON-safe description of the scope's settings. */
  describe(): { boost: number; durationMs: number; links: Readonly<Record<string, readonly string[]>> | 'ALL' } {
    return { boost: this.boost, durationMs: this.durationMs, links: this.links ?? 'ALL' };
  }

  /** A JSON-safe snapshot of the counters. */
  getStats(): ChaosScopeStats {
    return {
      members: [...this.members],
      triggers: this.triggers,
      boostedUntil: Object.fromEntries(this.until),
    };
  }
}
