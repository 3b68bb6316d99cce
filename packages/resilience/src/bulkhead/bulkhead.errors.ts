import { AegisPayError } from '@aegispay/domain';

/**
 * The bulkhead is full: every execution slot and every queue place is taken
 * (`RESILIENCE.BULKHEAD_FULL`). The call was not made; shed load or try another gateway.
 */
export class BulkheadRejectedError extends AegisPayError {
  readonly maxConcurrent: number;
  readonly maxQueue: number;

  constructor(maxConcurrent: number, maxQueue: number) {
    super(
      'RESILIENCE.BULKHEAD_FULL',
      `Bulkhead full: ${maxConcurrent} call(s) running and ${maxQueue} queued; the call was not made. Shed load or route elsewhere.`,
      { details: { maxConcurrent, maxQueue } },
    );
    this.maxConcurrent = maxConcurrent;
    this.maxQueue = maxQueue;
  }
}
