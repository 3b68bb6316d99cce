import { ChaosScope, resolveChaosConfig, type ChaosConfig, type ChaosScopeOptions, type ResourcePoolConfig } from '@aegispay/chaos';
import { InvalidOptionError, ValidationError } from '@aegispay/domain';

/** One thing wrong with chaos settings given as JSON: the field path (`''` for the object itself) and what is wrong. */
export interface ChaosSettingProblem {
  readonly field: string;
  readonly message: string;
}

// Records over the interfaces' keys: a field added to ChaosConfig fails to compile here until listed.
const CHAOS_CONFIG_KEYS = Object.keys({
  enabled: true,
  failureRate: true,
  errorTypes: true,
  latencyRate: true,
  latencyMs: true,
  timeoutRate: true,
  timeoutMs: true,
  timeoutPhase: true,
  afterTimeoutShare: true,
  intermittentFailureWindow: true,
  intermittentFailureBurst: true,
  seed: true,
  maxInjections: true,
  resourcePool: true,
  failureMode: true,
  operations: true,
} satisfies Record<keyof ChaosConfig, true>);
const LATENCY_KEYS = Object.keys({ min: true, max: true } satisfies Record<keyof NonNullable<ChaosConfig['latencyMs']>, true>);
const RESOURCE_POOL_KEYS = Object.keys({ size: true, acquireTimeoutMs: true } satisfies Record<keyof ResourcePoolConfig, true>);
const CHAOS_SCOPE_KEYS = Object.keys({ boost: true, durationMs: true, links: true } satisfies Record<keyof ChaosScopeOptions, true>);

/**
 * What is wrong with a `ChaosConfig` written as JSON (`AEGISPAY_CHAOS`, an experiment file):
 * unknown fields first — `ChaosGateway` ignores them, so a typo such as `failurerate` would
 * silently mean no chaos at all — then the first value the chaos package refuses. Empty when the
 * settings are usable.
 */
export function chaosConfigProblems(chaos: Readonly<Record<string, unknown>>): ChaosSettingProblem[] {
  const problems = [
    ...unknownKeys('', chaos, CHAOS_CONFIG_KEYS),
    ...unknownKeys('latencyMs', chaos['latencyMs'], LATENCY_KEYS),
    ...unknownKeys('resourcePool', chaos['resourcePool'], RESOURCE_POOL_KEYS),
  ];
  try {
    resolveChaosConfig(chaos as ChaosConfig, 0);
  } catch (error) {
    if (!InvalidOptionError.is(error)) throw error;
    // The field is named by the caller: only what is wrong with it ("must be … (got 5)").
    problems.push({ field: error.field, message: `${error.detail}.` });
  }
  return problems;
}

/** What is wrong with `ChaosScopeOptions` written as JSON (an experiment's `cascade`): unknown fields, then what `ChaosScope` refuses. */
export function chaosScopeProblems(cascade: Readonly<Record<string, unknown>>): ChaosSettingProblem[] {
  const problems = unknownKeys('', cascade, CHAOS_SCOPE_KEYS);
  try {
    new ChaosScope(cascade as ChaosScopeOptions);
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
    problems.push({ field: error.field, message: error.message.replace(/^ChaosScope\.[^ ]* /, '') });
  }
  return problems;
}

/** `field: message`, or the message alone for the object itself. */
export function formatChaosProblem(problem: ChaosSettingProblem, prefix = ''): string {
  const field = [prefix, problem.field].filter((part) => part !== '').join('.');
  return field === '' ? problem.message : `${field}: ${problem.message}`;
}

function unknownKeys(field: string, value: unknown, known: readonly string[]): ChaosSettingProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length === 0) return [];
  const names = unknown.map((key) => JSON.stringify(key.slice(0, 40))).join(', ');
  return [{ field, message: `unknown field${unknown.length > 1 ? 's' : ''} ${names} (known: ${known.join(', ')})` }];
}
