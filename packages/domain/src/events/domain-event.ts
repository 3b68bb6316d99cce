import type { JsonValue } from '../json/json';

/**
 * Something that happened to an aggregate. Recorded by the aggregate, handed once to the
 * persistence layer by `pullEvents()`, stored in the outbox in the same transaction as the
 * aggregate, and published at least once: consumers de-duplicate on `id`.
 */
export interface DomainEvent<TType extends string = string, TPayload extends { readonly [key: string]: JsonValue } = { readonly [key: string]: JsonValue }> {
  /** Stable, unique id (`evt_…`), the de-duplication key for consumers. */
  readonly id: string;
  readonly type: TType;
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** When it happened, ISO-8601 in UTC, from the aggregate's Clock. */
  readonly occurredAt: string;
  readonly payload: TPayload;
}
