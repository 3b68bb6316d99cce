import type { ChargeResult, ChargeStatusResult, RefundResult, RefundStatusResult } from '@aegispay/domain';
import type { ChaosInjectedError } from './chaos.errors';

/** @internal How one gateway operation's results are read, and how an injected failure becomes one of them. */
export interface OperationResults<R> {
  /** Whether the real gateway's answer is a failure (it feeds cascades and `innerFailures`). */
  isFailure(result: R): boolean;
  /** Whether the real gateway took the money (counted for `AFTER` timeouts). */
  isApproved(result: R): boolean;
  /** The answer a caller gets for an injected failure in `failureMode: 'RESULT'`. */
  toResult(error: ChaosInjectedError): R;
}

/** @internal `charge`: technical failures and unknown outcomes are failures. */
export const CHARGE_RESULTS: OperationResults<ChargeResult> = {
  isFailure: (result) => result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN',
  isApproved: (result) => result.outcome === 'APPROVED',
  toResult: (error) => unknownOrTechnicalFailure(error),
};

/** @internal `refund`: as `charge`; a refund is never an approval. */
export const REFUND_RESULTS: OperationResults<RefundResult> = {
  isFailure: (result) => result.outcome === 'TECHNICAL_FAILURE' || result.outcome === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => unknownOrTechnicalFailure(error),
};

/** @internal `getStatus`: a lookup that could not say is a failure. */
export const STATUS_RESULTS: OperationResults<ChargeStatusResult> = {
  isFailure: (result) => result.status === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => ({ status: 'UNKNOWN', reason: error.message }),
};

/** @internal `getRefundStatus`: as `getStatus`. */
export const REFUND_STATUS_RESULTS: OperationResults<RefundStatusResult> = {
  isFailure: (result) => result.status === 'UNKNOWN',
  isApproved: () => false,
  toResult: (error) => ({ status: 'UNKNOWN', reason: error.message }),
};

/** A failure that may have reached the gateway is an unknown outcome; one that cannot have is a retryable technical failure. */
function unknownOrTechnicalFailure(
  error: ChaosInjectedError,
): { outcome: 'UNKNOWN'; reason: string } | { outcome: 'TECHNICAL_FAILURE'; errorCode: string; retryable: true; message: string } {
  return !error.mayHaveBeenSent
    ? { outcome: 'TECHNICAL_FAILURE', errorCode: `CHAOS_${error.type}`, retryable: true, message: error.message }
    : { outcome: 'UNKNOWN', reason: error.message };
}
