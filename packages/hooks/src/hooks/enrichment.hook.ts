import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** What an enrichment hook adds. */
export interface EnrichmentResult {
  /**
   * Keys to add to the context's metadata. A key the caller or a higher-priority enrichment
   * already set is kept as it was (the attempt is listed in the outcome's `ignored`).
   */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Adds metadata (a risk segment, a geo-IP country, a loyalty tier) before fraud checks and routing. */
export interface PaymentEnrichmentHook extends HookBase {
  execute(context: HookInvocation): Awaitable<EnrichmentResult>;
}
