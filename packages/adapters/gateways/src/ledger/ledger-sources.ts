import type { InspectableLedger } from './ledger-entry';

/**
 * Gateways given as a list (any iterable), a map by name, or a record by name (what
 * `createSimulatedGateways` returns).
 */
export type LedgerSources =
  | Iterable<InspectableLedger>
  | ReadonlyMap<string, InspectableLedger>
  | Readonly<Record<string, InspectableLedger>>;

/** The gateways of `sources`, as an array (internal). */
export function ledgerSources(sources: LedgerSources): readonly InspectableLedger[] {
  if (sources instanceof Map) return [...(sources as ReadonlyMap<string, InspectableLedger>).values()];
  if (Symbol.iterator in sources) return [...(sources as Iterable<InspectableLedger>)];
  return Object.values(sources);
}
