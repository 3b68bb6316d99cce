import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** What a validation hook answers. */
export interface ValidationResult {
  /** False refuses the payment; give the reasons in `errors`. */
  readonly valid: boolean;
  /** Messages for the payment's caller, one per problem. Ignored when `valid` is true. */
  readonly errors?: readonly string[];
  /** Messages that do not refuse the payment. */
  readonly warnings?: readonly string[];
}

/** Validates a payment before it is processed. Every pre-validation hook runs; their errors are aggregated. */
export interface PrePaymentValidationHook extends HookBase {
  execute(context: HookInvocation): Awaitable<ValidationResult>;
}

/** Validates a payment after it was processed (the orchestrator passes the updated payment). */
export interface PostPaymentValidationHook extends HookBase {
  execute(context: HookInvocation): Awaitable<ValidationResult>;
}
