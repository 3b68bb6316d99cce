import { AegisPayError } from '@aegispay/domain';

/**
 * The operation did not finish within its time budget (`RESILIENCE.TIMEOUT`). Its signal was
 * aborted with this error as the reason. For a charge, the request may have reached the gateway:
 * treat the outcome as unknown and check the charge's status before charging again.
 */
export class OperationTimeoutError extends AegisPayError {
  /** The budget that was exceeded. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super('RESILIENCE.TIMEOUT', `Operation timed out after ${timeoutMs} ms; its signal was aborted. If it had side effects, check their status before retrying.`, {
      details: { timeoutMs },
    });
    this.timeoutMs = timeoutMs;
  }
}
