import type { MetadataValue } from '@aegispay/domain';

import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** What an enrichment hook adds. */
export interface EnrichmentResult {
  /**
   * Keys to add. A key the payment's metadata, the caller's context or a higher-priority
   * enrichment already has keeps its value (the attempt is listed in the outcome's `ignored`).
   * The entries follow the payment's metadata rules (`validateMetadata`: strings, finite numbers
   * and booleans, keys of 1–40 characters) and must not look like card numbers, because the
   * orchestrator stores them with the payment (`payment.enrichMetadata`).
   */
  readonly metadata: Readonly<Record<string, MetadataValue>>;
}

/** Adds metadata (a risk segment, a geo-IP country, a loyalty tier) before fraud checks and routing. */
export interface PaymentEnrichmentHook extends HookBase {
  execute(context: HookInvocation): Awaitable<EnrichmentResult>;
}
