import type { ErrorContext, HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** An error handler's opinion. */
export interface ErrorHandlingResult {
  /** Whether the orchestrator should try again. */
  readonly shouldRetry: boolean;
  /** How long to wait before retrying, ms (≥ 0). The orchestrator's own backoff applies when absent. */
  readonly retryAfterMs?: number;
  /** Why, for logs. */
  readonly reason?: string;
}

/**
 * Decides what to do about a failed attempt. Handlers are asked in priority order; the first that
 * returns a result decides. Returning `null`/`undefined` means "no opinion": the next one is asked.
 */
export interface ErrorHandlerHook extends HookBase {
  /** When present and false for this error, the handler is not asked. */
  canHandle?(error: Error): boolean;
  execute(context: HookInvocation<ErrorContext>): Awaitable<ErrorHandlingResult | null | undefined>;
}
