import { AegisPayError, type ErrorDetails } from './aegispay.error';

/**
 * An input was rejected. `field` is the path of the offending value (`paymentMethod.token`,
 * `metadata.country`), so an API can answer with field-level details.
 */
export class ValidationError extends AegisPayError {
  /** Path of the rejected value, dot-separated; empty when the input as a whole was rejected. */
  readonly field: string;

  constructor(code: string, field: string, message: string, options?: ErrorOptions & { details?: ErrorDetails }) {
    super(code, message, { ...options, details: { field, ...(options?.details ?? {}) } });
    this.field = field;
  }
}
