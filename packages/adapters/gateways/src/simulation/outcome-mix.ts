import type { ChargeDeclined, ChargeTechnicalFailure, DeclineType } from '@aegispay/domain';
import { check } from '../options/option-checks';
import { DEFAULT_DECLINE_MIX, type DeclineMixEntry } from './decline-codes';
import { DEFAULT_TECHNICAL_FAILURE_MIX, type TechnicalFailureMixEntry } from './technical-failures';
import { WeightedTable } from './weighted-table';

/**
 * @internal How a simulated gateway declines and how it fails: its decline mix and its technical
 * failure mix, checked, with each entry's answer built once. Both are picked from a uniform draw.
 */
export class OutcomeMix {
  private readonly declines: WeightedTable<DeclineMixEntry>;
  private readonly declineResults: ReadonlyMap<DeclineMixEntry, ChargeDeclined>;
  private readonly failures: WeightedTable<TechnicalFailureMixEntry>;
  private readonly failureResults: ReadonlyMap<TechnicalFailureMixEntry, ChargeTechnicalFailure>;

  /** @throws InvalidOptionError `GATEWAY.INVALID_OPTION` naming the first malformed entry of either mix. */
  constructor(declineMix: readonly DeclineMixEntry[] | undefined, technicalFailureMix: readonly TechnicalFailureMixEntry[] | undefined) {
    this.declines = new WeightedTable('declineMix', declineMix, DEFAULT_DECLINE_MIX);
    this.declineResults = new Map(
      this.declines.entries.map((entry, index) => {
        check.string(`declineMix[${index}].code`, entry.code, undefined);
        check.oneOf(`declineMix[${index}].declineType`, entry.declineType, undefined, ['HARD', 'SOFT']);
        return [entry, declined(entry.code, entry.declineType, entry.message)];
      }),
    );
    this.failures = new WeightedTable('technicalFailureMix', technicalFailureMix, DEFAULT_TECHNICAL_FAILURE_MIX);
    this.failureResults = new Map(
      this.failures.entries.map((entry, index) => {
        check.string(`technicalFailureMix[${index}].errorCode`, entry.errorCode, undefined);
        check.boolean(`technicalFailureMix[${index}].retryable`, entry.retryable, undefined);
        const result: ChargeTechnicalFailure = Object.freeze({
          outcome: 'TECHNICAL_FAILURE',
          errorCode: entry.errorCode,
          retryable: entry.retryable,
          ...(entry.message === undefined ? {} : { message: entry.message }),
        });
        return [entry, result];
      }),
    );
  }

  /** The decline whose share of the decline mix contains `u` (a uniform draw in [0, 1)). */
  decline(u: number): ChargeDeclined {
    return this.declineResults.get(this.declines.pick(u)) as ChargeDeclined;
  }

  /** The technical failure whose share of the failure mix contains `u` (a uniform draw in [0, 1)). */
  technicalFailure(u: number): ChargeTechnicalFailure {
    return this.failureResults.get(this.failures.pick(u)) as ChargeTechnicalFailure;
  }
}

/** A frozen `DECLINED` answer. */
export function declined(code: string, declineType: DeclineType, message: string | undefined): ChargeDeclined {
  return Object.freeze({ outcome: 'DECLINED', declineCode: code, declineType, ...(message === undefined ? {} : { message }) });
}
