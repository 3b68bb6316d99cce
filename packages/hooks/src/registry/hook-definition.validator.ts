import { HookConfigurationError } from '../errors/hook.errors';
import type { FailurePolicy, HookType } from '../hooks/hook';
import type { HookRegistrationOptions } from './hook-type-map';

const MAX_NAME_LENGTH = 100;
const POLICIES: readonly FailurePolicy[] = ['FAIL_CLOSED', 'FAIL_OPEN'];

/** The fields of a hook definition the registry keeps, checked. */
export interface CheckedHookFields {
  readonly name: string;
  readonly priority: number;
  readonly enabled: boolean;
  readonly timeoutMs: number | undefined;
  readonly failurePolicy: FailurePolicy | undefined;
  readonly eventTypes: readonly string[] | undefined;
}

/**
 * Checks a hook object before it is registered, so a malformed hook fails at start-up rather
 * than during a payment.
 * @throws HookConfigurationError `HOOK.INVALID_DEFINITION` naming the field.
 */
export function checkHookDefinition(type: HookType, hook: unknown, options: HookRegistrationOptions = {}): CheckedHookFields {
  if (typeof hook !== 'object' || hook === null) {
    throw invalid('', `A ${type} hook must be an object with name, priority, enabled and execute.`);
  }
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', `The registration options of a ${type} hook must be an object { timeoutMs?, failurePolicy? } or left out.`);
  }
  const candidate = hook as Record<string, unknown>;
  const name = candidate['name'];
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_NAME_LENGTH) {
    throw invalid('name', `A hook name must be a non-blank string of at most ${MAX_NAME_LENGTH} characters.`);
  }
  const priority = candidate['priority'];
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw invalid('priority', `Hook "${name}": priority must be a finite number (higher runs first).`);
  }
  const enabled = candidate['enabled'];
  if (typeof enabled !== 'boolean') {
    throw invalid('enabled', `Hook "${name}": enabled must be true or false.`);
  }
  if (typeof candidate['execute'] !== 'function') {
    throw invalid('execute', `Hook "${name}": execute must be a function.`);
  }
  const timeoutMs = checkTimeout(options.timeoutMs ?? candidate['timeoutMs'], name, options.timeoutMs === undefined ? 'timeoutMs' : 'options.timeoutMs');
  const failurePolicy = checkPolicy(
    options.failurePolicy ?? candidate['failurePolicy'],
    name,
    options.failurePolicy === undefined ? 'failurePolicy' : 'options.failurePolicy',
  );
  let eventTypes: readonly string[] | undefined;
  if (type === 'EVENT_LISTENER') {
    const types = candidate['eventTypes'];
    if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
      throw invalid('eventTypes', `Hook "${name}": eventTypes must be a non-empty array of event type names (or ['*'] for all).`);
    }
    eventTypes = Object.freeze([...(types as string[])]);
  }
  if (type === 'ERROR_HANDLER' && candidate['canHandle'] !== undefined && typeof candidate['canHandle'] !== 'function') {
    throw invalid('canHandle', `Hook "${name}": canHandle, when given, must be a function.`);
  }
  return { name, priority, enabled, timeoutMs, failurePolicy, eventTypes };
}

/**
 * Checks a timeout in ms: a positive finite number, or undefined.
 * @throws HookConfigurationError
 */
export function checkTimeout(value: unknown, hookName: string, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalid(field, `Hook "${hookName}": ${field} must be a positive number of milliseconds.`);
  }
  return value;
}

function checkPolicy(value: unknown, hookName: string, field: string): FailurePolicy | undefined {
  if (value === undefined) return undefined;
  if (!POLICIES.includes(value as FailurePolicy)) {
    throw invalid(field, `Hook "${hookName}": ${field} must be 'FAIL_CLOSED' or 'FAIL_OPEN'.`);
  }
  return value as FailurePolicy;
}

function invalid(field: string, message: string): HookConfigurationError {
  return new HookConfigurationError('HOOK.INVALID_DEFINITION', field, message);
}
