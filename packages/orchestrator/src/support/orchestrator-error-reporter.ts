/** Where a side task failed (a hook, an idempotency record, a background run). */
export interface OrchestratorErrorContext {
  /** What was being done: `metrics-hooks`, `idempotency.complete`, `idempotency.release`, `recovery.run`… */
  readonly operation: string;
  readonly paymentId?: string;
}

/**
 * Receives the errors of side tasks that must not change a payment's answer: a metrics hook that
 * throws, an idempotency record that could not be completed (the payment itself is safe). Called
 * synchronously; an error it throws is ignored.
 */
export type OrchestratorErrorReporter = (error: unknown, context: OrchestratorErrorContext) => void;

/** Calls `report`, never letting its own failure escape (a broken reporter must not fail a payment). */
export function reportSafely(report: OrchestratorErrorReporter | undefined, error: unknown, context: OrchestratorErrorContext): void {
  if (report === undefined) return;
  try {
    report(error, context);
  } catch {
    // The reporter is the last resort: there is nowhere further to send its failure.
  }
}
