import type { FraudCheckRecord } from './hook-outcomes';

/** The verdict of a set of fraud checks. */
export interface FraudVerdict {
  readonly allowed: boolean;
  readonly riskScore: number;
  readonly reason?: string;
  readonly deniedBy: string | null;
}

/**
 * Combines fraud-check answers, given in run order (priority order):
 *
 * 1. The risk score is the highest score of all answers (0 when there are none).
 * 2. First refusal wins: the first answer with `allowed: false` refuses the payment, with its
 *    reason (or, when it gave none, one naming the check).
 * 3. Otherwise the payment is refused when the risk score reaches `riskThreshold`
 *    (`riskScore >= riskThreshold`), naming the first check with that score.
 * 4. Otherwise it is allowed.
 *
 * A fail-closed failure arrives here as a refusal with score 1, so it refuses too.
 */
export function combineFraudResults(records: readonly FraudCheckRecord[], riskThreshold: number): FraudVerdict {
  let riskScore = 0;
  let riskiest: FraudCheckRecord | undefined;
  let firstDenial: FraudCheckRecord | undefined;
  for (const record of records) {
    if (riskiest === undefined || record.riskScore > riskScore) {
      riskScore = record.riskScore;
      riskiest = record;
    }
    if (!record.allowed && firstDenial === undefined) firstDenial = record;
  }
  if (firstDenial !== undefined) {
    return {
      allowed: false,
      riskScore,
      reason: firstDenial.reason ?? `Refused by fraud check "${firstDenial.hook}"`,
      deniedBy: firstDenial.hook,
    };
  }
  if (riskiest !== undefined && riskScore >= riskThreshold) {
    return {
      allowed: false,
      riskScore,
      reason: `Risk score ${riskScore} from fraud check "${riskiest.hook}" reached the threshold of ${riskThreshold}`,
      deniedBy: riskiest.hook,
    };
  }
  return { allowed: true, riskScore, deniedBy: null };
}
