/**
 * Checks of what hooks return. Each returns a description of the first problem, or undefined when
 * the answer honours its contract. Hooks are other people's code: an answer is checked before it
 * can decide anything about a payment.
 */

import { AegisPayError, findCardNumber, validateMetadata } from '@aegispay/domain';

type Problem = string | undefined;

/** A `ValidationResult`. */
export function validationResultProblem(value: unknown): Problem {
  if (!isObject(value)) return 'expected an object { valid, errors?, warnings? }';
  if (typeof value['valid'] !== 'boolean') return 'valid must be a boolean';
  return stringListProblem(value['errors'], 'errors') ?? stringListProblem(value['warnings'], 'warnings');
}

/** A `FraudCheckResult`. */
export function fraudCheckResultProblem(value: unknown): Problem {
  if (!isObject(value)) return 'expected an object { allowed, riskScore?, reason? }';
  if (typeof value['allowed'] !== 'boolean') return 'allowed must be a boolean';
  if (value['riskScore'] !== undefined && !isUnitInterval(value['riskScore'])) return 'riskScore must be a number from 0 to 1';
  if (value['reason'] !== undefined && typeof value['reason'] !== 'string') return 'reason must be a string';
  return metadataProblem(value['metadata']);
}

/** A `RoutingDecision`, or an abstention (`null`/`undefined`). */
export function routingDecisionProblem(value: unknown): Problem {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) return 'expected an object { gatewayType, confidence, reason } or null';
  if (typeof value['gatewayType'] !== 'string' || value['gatewayType'].length === 0) return 'gatewayType must be a gateway name';
  if (!isUnitInterval(value['confidence'])) return 'confidence must be a number from 0 to 1';
  if (typeof value['reason'] !== 'string') return 'reason must be a string';
  return metadataProblem(value['metadata']);
}

/**
 * An `EnrichmentResult`. Its metadata will be stored with the payment, so it must pass the
 * domain's metadata rules (`validateMetadata`) and carry nothing that looks like a card number.
 */
export function enrichmentResultProblem(value: unknown): Problem {
  if (!isObject(value)) return 'expected an object { metadata }';
  const metadata = value['metadata'];
  if (!isPlainObject(metadata)) return 'metadata must be a plain object';
  const cardField = findCardNumber(metadata, 'metadata');
  if (cardField !== undefined) return `${cardField} looks like a card number, which metadata must never hold`;
  try {
    validateMetadata(metadata);
  } catch (error) {
    return AegisPayError.is(error) ? error.message : 'metadata breaks the metadata rules';
  }
  return undefined;
}

/** An `ErrorHandlingResult`, or no opinion (`null`/`undefined`). */
export function errorHandlingResultProblem(value: unknown): Problem {
  if (value === null || value === undefined) return undefined;
  if (!isObject(value)) return 'expected an object { shouldRetry, retryAfterMs? } or null';
  if (typeof value['shouldRetry'] !== 'boolean') return 'shouldRetry must be a boolean';
  const retryAfterMs = value['retryAfterMs'];
  if (retryAfterMs !== undefined && (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs < 0)) {
    return 'retryAfterMs must be a non-negative number of milliseconds';
  }
  if (value['reason'] !== undefined && typeof value['reason'] !== 'string') return 'reason must be a string';
  return undefined;
}

/** True for `{}`-style objects (prototype `Object.prototype` or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value) || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isUnitInterval(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

function stringListProblem(value: unknown, field: string): Problem {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return `${field} must be an array of strings`;
  return undefined;
}

function metadataProblem(value: unknown): Problem {
  if (value === undefined || isPlainObject(value)) return undefined;
  return 'metadata must be a plain object';
}
