import { ValidationError } from '@aegispay/domain';
import { resolveChaosConfig, type ChaosConfig } from './chaos-config';
import { DEFAULT_CHAOS_ERROR_TYPES } from './chaos-error-type';

describe('resolveChaosConfig', () => {
  describe('when given an empty config', () => {
    it('should apply every documented default', () => {
      expect(resolveChaosConfig({}, 99)).toEqual({
        enabled: true,
        failureRate: 0,
        errorTypes: DEFAULT_CHAOS_ERROR_TYPES,
        latencyRate: 0,
        latencyMs: { min: 100, max: 5_000 },
        timeoutRate: 0,
        timeoutMs: 5_000,
        timeoutPhase: 'MIXED',
        afterTimeoutShare: 0.5,
        intermittentFailureWindow: null,
        intermittentFailureBurst: 0,
        seed: 99,
        maxInjections: null,
        resourcePool: null,
        failureMode: 'THROW',
        operations: ['charge'],
      });
    });
  });

  describe('when given the spec example', () => {
    it('should keep every field as given', () => {
      const config: ChaosConfig = {
        enabled: true,
        failureRate: 0.3,
        errorTypes: ['NETWORK_ERROR', 'TIMEOUT', 'SERVICE_UNAVAILABLE'],
        latencyRate: 0.4,
        latencyMs: { min: 100, max: 3000 },
        timeoutRate: 0.1,
        timeoutMs: 5000,
        intermittentFailureWindow: 10000,
        intermittentFailureBurst: 3,
        seed: 42,
        maxInjections: 1000,
      };
      expect(resolveChaosConfig(config, 0)).toMatchObject({ ...config, resourcePool: null });
    });
  });

  describe('when only one of the intermittent fields is given', () => {
    it('should default the other', () => {
      expect(resolveChaosConfig({ intermittentFailureBurst: 5 }, 0)).toMatchObject({
        intermittentFailureWindow: 10_000,
        intermittentFailureBurst: 5,
      });
      expect(resolveChaosConfig({ intermittentFailureWindow: 2_000 }, 0)).toMatchObject({
        intermittentFailureWindow: 2_000,
        intermittentFailureBurst: 3,
      });
    });
  });

  describe('when a resource pool is given without a timeout', () => {
    it('should wait 1 000 ms for a connection', () => {
      expect(resolveChaosConfig({ resourcePool: { size: 4 } }, 0).resourcePool).toEqual({ size: 4, acquireTimeoutMs: 1_000 });
    });
  });

  describe('when a field is invalid', () => {
    const cases: readonly [string, ChaosConfig][] = [
      ['failureRate', { failureRate: 1.5 }],
      ['timeoutRate', { timeoutRate: -0.1 }],
      ['failureRate', { failureRate: 0.7, timeoutRate: 0.4 }],
      ['latencyRate', { latencyRate: Number.NaN }],
      ['errorTypes', { errorTypes: [] }],
      ['errorTypes.1', { errorTypes: ['NETWORK_ERROR', 'TEAPOT' as never] }],
      ['latencyMs', { latencyMs: { min: 500, max: 100 } }],
      ['latencyMs.min', { latencyMs: { min: -1, max: 100 } }],
      ['timeoutMs', { timeoutMs: Number.POSITIVE_INFINITY }],
      ['timeoutPhase', { timeoutPhase: 'DURING' as never }],
      ['afterTimeoutShare', { timeoutPhase: 'AFTER', afterTimeoutShare: 0.5 }],
      ['intermittentFailureBurst', { intermittentFailureBurst: 0 }],
      ['intermittentFailureWindow', { intermittentFailureWindow: 0 }],
      ['seed', { seed: 1.5 }],
      ['maxInjections', { maxInjections: -1 }],
      ['resourcePool.size', { resourcePool: { size: 0 } }],
      ['resourcePool.acquireTimeoutMs', { resourcePool: { size: 1, acquireTimeoutMs: -5 } }],
      ['failureMode', { failureMode: 'LOG' as never }],
      ['operations.0', { operations: ['capture' as never] }],
      ['enabled', { enabled: 'false' as never }],
      ['latencyMs', { latencyMs: 500 as never }],
      ['resourcePool', { resourcePool: null as never }],
      ['operations', { operations: 'charge' as never }],
    ];

    it('should reject a config that is not an object', () => {
      expect(() => resolveChaosConfig(null as never, 0)).toThrow(expect.objectContaining({ code: 'CHAOS.INVALID_CONFIG', field: '' }));
    });

    it.each(cases)('should reject %s with a ValidationError naming it', (field, config) => {
      let caught: unknown;
      try {
        resolveChaosConfig(config, 0);
      } catch (error) {
        caught = error;
      }
      expect(ValidationError.is(caught)).toBe(true);
      expect(caught).toMatchObject({ code: 'CHAOS.INVALID_CONFIG', field });
      expect((caught as Error).message).toContain(`ChaosConfig: ${field}`);
    });
  });
});
