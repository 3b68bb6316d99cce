import { ValidationError } from '@aegispay/domain';

/**
 * An option of a resilience policy was rejected (`RESILIENCE.INVALID_OPTION`). `field` names the
 * option (`maxRetries`, `failureRateThreshold`, …) so a misconfiguration is found at construction,
 * not at the first outage.
 */
export class InvalidOptionError extends ValidationError {
  constructor(option: string, message: string, value: unknown) {
    super('RESILIENCE.INVALID_OPTION', option, `Invalid option ${option}: ${message} (got ${describe(value)}).`, {
      details: { option },
    });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
