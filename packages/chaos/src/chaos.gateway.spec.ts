import { VirtualClock, type ChargeResult, type Random } from '@aegispay/domain';
import fc from 'fast-check';
import { aChargeRequest, settle } from './__fixtures__/charge-requests';
import type { ChaosConfig } from './chaos-config';
import { ChaosErrorType } from './chaos-error-type';
import { ChaosRandom, hashName, mixSeed } from './chaos-random';
import { ChaosScope } from './chaos-scope';
import { ChaosGateway, type ChaosInjectionEvent } from './chaos.gateway';
import { ChaosInjectedError, ChaosTimeoutError } from './chaos.errors';
import { RecordingGateway } from './testing';

function setup(config: ChaosConfig, options: { name?: string; innerLatencyMs?: number; scope?: ChaosScope } = {}) {
  const clock = new VirtualClock({ autoAdvance: true });
  const inner = new RecordingGateway({ name: options.name ?? 'STRIPE', clock, latencyMs: options.innerLatencyMs ?? 0 });
  const gateway = new ChaosGateway(inner, config, { clock, ...(options.scope ? { scope: options.scope } : {}) });
  const events: ChaosInjectionEvent[] = [];
  gateway.onInjection((event) => events.push(event));
  return { clock, inner, gateway, events };
}

type Outcome = { ok: true; value: ChargeResult } | { ok: false; error: unknown };

/** `n` sequential charges `spacingMs` apart (references `r0`, `r1`…). */
async function chargeMany(gateway: ChaosGateway, clock: VirtualClock, n: number, spacingMs = 0): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let i = 0; i < n; i += 1) {
    outcomes.push(await settle(gateway.charge(aChargeRequest(`r${i}`))));
    if (spacingMs > 0) await clock.sleep(spacingMs);
  }
  return outcomes;
}

/** Binomial bounds: mean ± 4 standard deviations. */
function expectAboutRate(observed: number, n: number, p: number): void {
  const sd = Math.sqrt(n * p * (1 - p));
  expect(observed).toBeGreaterThanOrEqual(Math.floor(n * p - 4 * sd));
  expect(observed).toBeLessThanOrEqual(Math.ceil(n * p + 4 * sd));
}

const N = 2_000;

describe('ChaosGateway', () => {
  describe('.charge', () => {
    describe('when chaos is disabled', () => {
      it('should forward every call unchanged and inject nothing', async () => {
        const { gateway, inner, clock, events } = setup({ enabled: false, failureRate: 1, seed: 1 });
        const request = aChargeRequest('r0');
        const spy = jest.spyOn(inner, 'charge');
        const result = await gateway.charge(request);
        await chargeMany(gateway, clock, 20);
        expect(result.outcome).toBe('APPROVED');
        expect(spy.mock.calls[0]?.[0]).toBe(request);
        expect(events).toHaveLength(0);
        expect(gateway.getStats()).toMatchObject({ calls: 21, chaosCalls: 0, innerCalls: 21, injections: { total: 0 } });
      });
    });

    describe('when enabled with no rates', () => {
      it('should approve every call through the real gateway', async () => {
        const { gateway, clock, inner } = setup({ seed: 7 });
        const outcomes = await chargeMany(gateway, clock, 50);
        expect(outcomes.every((o) => o.ok && o.value.outcome === 'APPROVED')).toBe(true);
        expect(inner.chargeCalls).toBe(50);
        expect(gateway.getStats().injections.total).toBe(0);
      });
    });

    describe('when a failure rate is set', () => {
      it('should fail about failureRate of the calls with the configured types, without calling the real gateway', async () => {
        const errorTypes = [ChaosErrorType.NETWORK_ERROR, ChaosErrorType.SERVICE_UNAVAILABLE, ChaosErrorType.RATE_LIMITED];
        const { gateway, clock, inner } = setup({ failureRate: 0.3, errorTypes, seed: 42 });
        const outcomes = await chargeMany(gateway, clock, N);
        const failures = outcomes.filter((o): o is { ok: false; error: unknown } => !o.ok);
        const stats = gateway.getStats();

        expectAboutRate(stats.injections.errors, N, 0.3);
        expect(failures).toHaveLength(stats.injections.errors);
        for (const { error } of failures) {
          expect(ChaosInjectedError.is(error)).toBe(true);
          const injected = error as ChaosInjectedError;
          expect(errorTypes).toContain(injected.type);
          expect(injected).toMatchObject({ kind: 'ERROR', gateway: 'STRIPE', operation: 'charge', mayHaveBeenSent: false });
          expect(inner.attemptsFor(injected.reference)).toBe(0);
        }
        for (const type of errorTypes) expectAboutRate(stats.errorTypes[type], stats.injections.errors, 1 / 3);
        expect(inner.chargeCalls).toBe(N - failures.length);
      });

      it('should carry the HTTP status and a stable code', async () => {
        const { gateway } = setup({ failureRate: 1, errorTypes: [ChaosErrorType.SERVICE_UNAVAILABLE], seed: 1 });
        const outcome = await settle(gateway.charge(aChargeRequest('r0')));
        expect(outcome.ok).toBe(false);
        const error = (outcome as { error: ChaosInjectedError }).error;
        expect(error).toMatchObject({ code: 'CHAOS.SERVICE_UNAVAILABLE', httpStatus: 503, name: 'ChaosInjectedError' });
        expect(error.message).toContain('retrying is safe');
      });
    });

    describe('when latency is injected', () => {
      it('should delay about latencyRate of the calls by a draw within latencyMs, on the clock', async () => {
        const { gateway, clock, events } = setup({ latencyRate: 0.4, latencyMs: { min: 100, max: 3_000 }, seed: 42 });
        let measured = 0;
        for (let i = 0; i < N; i += 1) {
          const before = clock.now();
          await gateway.charge(aChargeRequest(`r${i}`));
          measured += clock.now() - before;
        }
        const stats = gateway.getStats();
        const delays = events.filter((e) => e.kind === 'LATENCY').map((e) => e.latencyMs ?? -1);

        expectAboutRate(stats.injections.latency, N, 0.4);
        expect(delays).toHaveLength(stats.injections.latency);
        expect(Math.min(...delays)).toBeGreaterThanOrEqual(100);
        expect(Math.max(...delays)).toBeLessThanOrEqual(3_000);
        expect(stats.injectedLatencyMs).toBe(delays.reduce((a, b) => a + b, 0));
        expect(measured).toBe(stats.injectedLatencyMs);
      });
    });

    describe('when timeouts happen BEFORE the real call', () => {
      it('should make the caller wait timeoutMs, throw a retry-safe ChaosTimeoutError and charge nothing', async () => {
        const { gateway, clock, inner } = setup({ timeoutRate: 1, timeoutMs: 5_000, timeoutPhase: 'BEFORE', seed: 3 });
        const started = clock.now();
        const outcome = await settle(gateway.charge(aChargeRequest('r0')));

        expect(clock.now() - started).toBe(5_000);
        expect(outcome.ok).toBe(false);
        const error = (outcome as { error: unknown }).error;
        expect(ChaosTimeoutError.is(error)).toBe(true);
        expect(error).toMatchObject({ phase: 'BEFORE', mayHaveBeenSent: false, code: 'CHAOS.TIMEOUT', timeoutMs: 5_000 });
        expect(inner.attemptsFor('r0')).toBe(0);
        expect(gateway.getStats().timeoutPhases).toEqual({ before: 1, after: 0, afterApproved: 0 });
      });
    });

    describe('when timeouts happen AFTER the real call', () => {
      it('should charge through the real gateway once and hide the answer behind a non-retry-safe timeout', async () => {
        const { gateway, clock, inner } = setup({ timeoutRate: 1, timeoutMs: 5_000, timeoutPhase: 'AFTER', seed: 3 });
        const started = clock.now();
        const outcome = await settle(gateway.charge(aChargeRequest('r0')));

        expect(clock.now() - started).toBe(5_000);
        const error = (outcome as { error: unknown }).error;
        expect(ChaosTimeoutError.is(error)).toBe(true);
        expect(ChaosInjectedError.is(error)).toBe(true);
        expect(error).toMatchObject({ phase: 'AFTER', mayHaveBeenSent: true, reference: 'r0' });
        expect((error as Error).message).toContain("getStatus('r0')");
        expect(inner.attemptsFor('r0')).toBe(1);
        expect(inner.approvedReferences()).toEqual(['r0']);
        expect(await gateway.getStatus({ reference: 'r0' })).toMatchObject({ status: 'APPROVED' });
        expect(gateway.getStats().timeoutPhases).toEqual({ before: 0, after: 1, afterApproved: 1 });
      });

      it('should release the caller at timeoutMs while a slower real call goes on and still charges', async () => {
        const { gateway, clock, inner } = setup(
          { timeoutRate: 1, timeoutMs: 5_000, timeoutPhase: 'AFTER', seed: 3 },
          { innerLatencyMs: 8_000 },
        );
        const started = clock.now();
        const outcome = await settle(gateway.charge(aChargeRequest('r0')));
        expect(clock.now() - started).toBe(5_000);
        expect(outcome.ok).toBe(false);
        expect(inner.approvedReferences()).toEqual([]);

        await clock.sleep(3_000);
        expect(inner.approvedReferences()).toEqual(['r0']);
        expect(inner.attemptsFor('r0')).toBe(1);
        expect(gateway.getStats().timeoutPhases.afterApproved).toBe(1);
      });

      it('should tell through whenIdle() when the real calls it left running have settled', async () => {
        const { gateway, clock, inner } = setup(
          { timeoutRate: 1, timeoutMs: 5_000, timeoutPhase: 'AFTER', seed: 3 },
          { innerLatencyMs: 8_000 },
        );
        const started = clock.now();
        await settle(gateway.charge(aChargeRequest('r0')));
        expect(inner.approvedReferences()).toEqual([]);
        await gateway.whenIdle();
        expect(clock.now() - started).toBe(8_000);
        expect(inner.approvedReferences()).toEqual(['r0']);
        await expect(gateway.whenIdle()).resolves.toBeUndefined();
      });
    });

    describe('when timeouts are MIXED', () => {
      it('should time out about timeoutRate of the calls, afterTimeoutShare of them after the real call', async () => {
        const { gateway, clock, inner } = setup({ timeoutRate: 0.1, afterTimeoutShare: 0.25, timeoutMs: 1_000, seed: 42 });
        const outcomes = await chargeMany(gateway, clock, N);
        const stats = gateway.getStats();
        const timeouts = outcomes.filter((o) => !o.ok).map((o) => (o as { error: ChaosTimeoutError }).error);

        expectAboutRate(stats.injections.timeouts, N, 0.1);
        expect(stats.timeoutPhases.before + stats.timeoutPhases.after).toBe(stats.injections.timeouts);
        expectAboutRate(stats.timeoutPhases.after, stats.injections.timeouts, 0.25);
        expect(stats.timeoutPhases.afterApproved).toBe(stats.timeoutPhases.after);
        for (const error of timeouts) {
          expect(inner.attemptsFor(error.reference)).toBe(error.phase === 'AFTER' ? 1 : 0);
        }
        // Every approved charge was either answered or hidden by an AFTER timeout, never made twice.
        expect(inner.approvedReferences()).toHaveLength(N - stats.timeoutPhases.before);
      });
    });

    describe('when TIMEOUT is one of the error types', () => {
      it('should behave as a timeout: wait timeoutMs and throw ChaosTimeoutError', async () => {
        const { gateway, clock } = setup({
          failureRate: 1,
          errorTypes: [ChaosErrorType.TIMEOUT],
          timeoutMs: 2_000,
          timeoutPhase: 'BEFORE',
          seed: 5,
        });
        const started = clock.now();
        const outcome = await settle(gateway.charge(aChargeRequest('r0')));
        expect(clock.now() - started).toBe(2_000);
        expect((outcome as { error: unknown }).error).toMatchObject({ name: 'ChaosTimeoutError', kind: 'ERROR' });
        expect(gateway.getStats()).toMatchObject({ injections: { errors: 1, timeouts: 0 }, errorTypes: { TIMEOUT: 1 } });
      });
    });

    describe('when failureMode is RESULT', () => {
      it('should return technical failures, and an UNKNOWN outcome for AFTER timeouts', async () => {
        const { gateway, clock, inner } = setup({
          failureMode: 'RESULT',
          failureRate: 0.5,
          errorTypes: [ChaosErrorType.INTERNAL_ERROR],
          timeoutRate: 0.5,
          timeoutPhase: 'MIXED',
          seed: 11,
        });
        const outcomes = await chargeMany(gateway, clock, 200);
        const results = outcomes.map((o) => (o.ok ? o.value : null));
        const stats = gateway.getStats();

        expect(results.every((r) => r !== null)).toBe(true);
        const technical = results.filter((r) => r?.outcome === 'TECHNICAL_FAILURE');
        const unknown = results.filter((r) => r?.outcome === 'UNKNOWN');
        expect(technical).toHaveLength(stats.injections.errors + stats.timeoutPhases.before);
        expect(unknown).toHaveLength(stats.timeoutPhases.after);
        expect(new Set(technical.map((r) => (r as { errorCode: string }).errorCode))).toEqual(
          new Set(['CHAOS_INTERNAL_ERROR', 'CHAOS_TIMEOUT']),
        );
        expect(technical.every((r) => (r as { retryable: boolean }).retryable)).toBe(true);
        expect(inner.approvedReferences()).toHaveLength(stats.timeoutPhases.after);
      });
    });

    describe('when intermittent bursts are configured', () => {
      it('should fail exactly `burst` consecutive calls in every window of steady traffic', async () => {
        const { gateway, clock, events } = setup({
          intermittentFailureWindow: 10_000,
          intermittentFailureBurst: 3,
          errorTypes: [ChaosErrorType.SERVICE_UNAVAILABLE],
          seed: 42,
        });
        const start = clock.now();
        const outcomes = await chargeMany(gateway, clock, 6_000, 10);
        const failedIndexes = outcomes.flatMap((o, i) => (o.ok ? [] : [i]));

        expect(gateway.getStats().injections.intermittent).toBe(18);
        expect(failedIndexes).toHaveLength(18);
        for (let w = 0; w < 6; w += 1) {
          const inWindow = events.filter((e) => Math.floor((e.at - start) / 10_000) === w);
          expect(inWindow).toHaveLength(3);
          const [a, b, c] = failedIndexes.slice(w * 3, w * 3 + 3);
          expect([b, c]).toEqual([(a as number) + 1, (a as number) + 2]);
        }
        expect(new Set(events.map((e) => e.at % 10_000)).size).toBeGreaterThan(1);
      });

      it('should default to bursts of 3 when only the window is given', async () => {
        const { gateway, clock } = setup({
          intermittentFailureWindow: 1_000,
          errorTypes: [ChaosErrorType.RATE_LIMITED],
          seed: 9,
        });
        await chargeMany(gateway, clock, 1_000, 5);
        expect(gateway.getStats().injections.intermittent).toBe(15);
      });
    });

    describe('when gateways share a ChaosScope', () => {
      it('should raise the failure rate of a linked gateway by `boost` while the other fails', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const scope = new ChaosScope({ boost: 0.3, durationMs: 10_000 });
        const a = new ChaosGateway(new RecordingGateway({ name: 'STRIPE', clock }), { failureRate: 0.5, seed: 1 }, { clock, scope });
        const b = new ChaosGateway(new RecordingGateway({ name: 'ADYEN', clock }), { seed: 1 }, { clock, scope });
        for (let i = 0; i < N; i += 1) {
          await settle(a.charge(aChargeRequest(`a${i}`)));
          await settle(b.charge(aChargeRequest(`b${i}`)));
          await clock.sleep(10);
        }
        expectAboutRate(b.getStats().injections.cascading, N, 0.3);
        expect(b.getStats().injections.errors).toBe(0);
        // B's cascade failures do not spread back to A.
        expect(a.getStats().injections.cascading).toBe(0);
      });

      it('should stop raising it durationMs after the last failure', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const scope = new ChaosScope({ boost: 1, durationMs: 1_000 });
        const a = new ChaosGateway(new RecordingGateway({ name: 'STRIPE', clock }), { failureRate: 1, seed: 1 }, { clock, scope });
        const b = new ChaosGateway(new RecordingGateway({ name: 'ADYEN', clock }), { seed: 1 }, { clock, scope });
        await settle(a.charge(aChargeRequest('a0')));
        await clock.sleep(999);
        const during = await settle(b.charge(aChargeRequest('b0')));
        await clock.sleep(1);
        const after = await settle(b.charge(aChargeRequest('b1')));
        expect(during.ok).toBe(false);
        expect((during as { error: unknown }).error).toMatchObject({ kind: 'CASCADING' });
        expect(after.ok).toBe(true);
      });

      it('should also spread real failures of the wrapped gateway', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const scope = new ChaosScope({ boost: 1, links: { STRIPE: ['ADYEN'] } });
        const failing = new RecordingGateway({
          name: 'STRIPE',
          clock,
          decide: () => ({ outcome: 'TECHNICAL_FAILURE', errorCode: 'upstream_503', retryable: true }),
        });
        const a = new ChaosGateway(failing, { seed: 1 }, { clock, scope });
        const b = new ChaosGateway(new RecordingGateway({ name: 'ADYEN', clock }), { seed: 1 }, { clock, scope });
        await a.charge(aChargeRequest('a0'));
        expect((await settle(b.charge(aChargeRequest('b0')))).ok).toBe(false);
        expect(a.getStats().innerFailures).toBe(1);
        expect(scope.getStats().triggers).toBe(1);
      });
    });

    describe('when a resource pool is configured', () => {
      it('should let `size` calls through, make the others wait, then fail them with RESOURCE_EXHAUSTED', async () => {
        const { gateway, clock, inner } = setup(
          { resourcePool: { size: 2, acquireTimeoutMs: 50 }, seed: 1 },
          { innerLatencyMs: 100 },
        );
        const started = clock.now();
        const outcomes = await Promise.all([0, 1, 2, 3, 4].map((i) => settle(gateway.charge(aChargeRequest(`r${i}`)))));
        const failed = outcomes.filter((o) => !o.ok).map((o) => (o as { error: ChaosInjectedError }).error);

        expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
        expect(failed).toHaveLength(3);
        expect(failed.every((e) => e.type === 'RESOURCE_EXHAUSTED' && e.kind === 'RESOURCE_EXHAUSTION' && !e.mayHaveBeenSent)).toBe(true);
        expect(inner.chargeCalls).toBe(2);
        expect(clock.now() - started).toBe(100);
        expect(gateway.getStats().pool).toEqual({ size: 2, inUse: 0, waiting: 0, peakWaiting: 3, waits: 3 });
        expect(gateway.getStats().injections.resourceExhaustion).toBe(3);
      });

      it('should hand a freed connection to the longest-waiting call', async () => {
        const { gateway } = setup({ resourcePool: { size: 2, acquireTimeoutMs: 150 }, seed: 1 }, { innerLatencyMs: 100 });
        const outcomes = await Promise.all([0, 1, 2, 3, 4].map((i) => settle(gateway.charge(aChargeRequest(`r${i}`)))));
        expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, false]);
      });
    });

    describe('when maxInjections is set', () => {
      it('should stop injecting after the cap and let later calls through', async () => {
        const { gateway, clock } = setup({ failureRate: 0.5, latencyRate: 0.5, latencyMs: { min: 1, max: 5 }, maxInjections: 25, seed: 8 });
        const outcomes = await chargeMany(gateway, clock, 500);
        expect(gateway.getStats().injections.total).toBe(25);
        expect(outcomes.slice(-100).every((o) => o.ok)).toBe(true);
      });
    });

    describe('when switched off and on at run time', () => {
      it('should pass calls through while disabled and inject again once enabled', async () => {
        const { gateway, clock } = setup({ failureRate: 1, seed: 2 });
        const first = await chargeMany(gateway, clock, 5);
        gateway.disable();
        const off = await chargeMany(gateway, clock, 5);
        gateway.enable();
        const on = await chargeMany(gateway, clock, 5);
        expect(first.every((o) => !o.ok)).toBe(true);
        expect(off.every((o) => o.ok)).toBe(true);
        expect(on.every((o) => !o.ok)).toBe(true);
        expect(gateway.enabled).toBe(true);
        expect(gateway.getStats()).toMatchObject({ calls: 15, chaosCalls: 10 });
      });
    });

    describe('when the caller aborts', () => {
      it('should reject with the reason during an injected delay and never call the real gateway', async () => {
        const { gateway, inner, clock } = setup({ latencyRate: 1, latencyMs: { min: 1_000, max: 1_000 }, seed: 1 });
        const controller = new AbortController();
        const call = settle(gateway.charge(aChargeRequest('r0'), controller.signal));
        clock.setTimer(10, () => controller.abort(new Error('caller gave up')));
        const outcome = await call;
        expect((outcome as { error: Error }).error.message).toBe('caller gave up');
        expect(inner.attemptsFor('r0')).toBe(0);
      });
    });
  });

  describe('.refund and .getStatus', () => {
    describe('when operations is left at its default', () => {
      it('should pass them through', async () => {
        const { gateway } = setup({ failureRate: 1, seed: 1 });
        await settle(gateway.charge(aChargeRequest('r0')));
        expect(await gateway.getStatus({ reference: 'r0' })).toEqual({ status: 'NOT_FOUND' });
        const refund = await gateway.refund({
          reference: 'f0',
          chargeReference: 'x',
          paymentId: 'p',
          amount: aChargeRequest('r0').amount,
        });
        // The real gateway's own answer (there is no charge x to refund), not an injected failure.
        expect(refund).toEqual({ outcome: 'REJECTED', code: 'charge_not_found' });
      });
    });

    describe('when operations include them', () => {
      it('should inject into them too, a lost status answer being retry-safe', async () => {
        const { gateway } = setup({
          operations: ['getStatus', 'refund'],
          timeoutRate: 1,
          timeoutPhase: 'AFTER',
          timeoutMs: 100,
          seed: 1,
        });
        const charge = await gateway.charge(aChargeRequest('r0'));
        const status = await settle(gateway.getStatus({ reference: 'r0' }));
        const refund = await settle(
          gateway.refund({ reference: 'f0', chargeReference: 'x', paymentId: 'p', amount: aChargeRequest('r0').amount }),
        );
        expect(charge.outcome).toBe('APPROVED');
        expect((status as { error: unknown }).error).toMatchObject({ operation: 'getStatus', phase: 'AFTER', mayHaveBeenSent: false });
        expect((refund as { error: unknown }).error).toMatchObject({ operation: 'refund', phase: 'AFTER', mayHaveBeenSent: true });
      });

      it('should answer UNKNOWN statuses in RESULT mode', async () => {
        const { gateway } = setup({ operations: ['getStatus'], failureRate: 1, failureMode: 'RESULT', seed: 1 });
        expect(await gateway.getStatus({ reference: 'r0' })).toMatchObject({ status: 'UNKNOWN' });
      });
    });
  });

  describe('determinism', () => {
    const configArb = fc.record({
      failureRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
      timeoutRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      latencyRate: fc.double({ min: 0, max: 1, noNaN: true }),
      seed: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    });

    async function trace(config: ChaosConfig, name = 'STRIPE', n = 60): Promise<unknown[]> {
      const { gateway, clock, events } = setup(
        { ...config, latencyMs: { min: 1, max: 50 }, timeoutMs: 30, intermittentFailureWindow: 200, intermittentFailureBurst: 2 },
        { name },
      );
      await chargeMany(gateway, clock, n, 7);
      return events.map((e) => ({ ...e }));
    }

    it('should make identical injections for the same seed and the same calls', async () => {
      await fc.assert(
        fc.asyncProperty(configArb, async (config) => {
          expect(await trace(config)).toEqual(await trace(config));
        }),
        { numRuns: 25, seed: 20260101 },
      );
    });

    it('should make different injections for another seed or another gateway name', async () => {
      const config = { failureRate: 0.3, timeoutRate: 0.1, latencyRate: 0.4, seed: 42 };
      const base = await trace(config);
      expect(await trace({ ...config, seed: 43 })).not.toEqual(base);
      expect(await trace(config, 'ADYEN')).not.toEqual(base);
    });

    it('should decide each call from its own dice: timeouts, then errors, by disjoint bands', async () => {
      const config = { failureRate: 0.3, timeoutRate: 0.1, timeoutPhase: 'BEFORE', seed: 42 } as const;
      const { gateway, clock, events } = setup(config);
      await chargeMany(gateway, clock, 500);
      const dice = new ChaosRandom(mixSeed(42, hashName('STRIPE')));
      const expected = Array.from({ length: 500 }, (_, i) => {
        const u = dice.roll().failure;
        return u < 0.1 ? { i, kind: 'TIMEOUT' } : u < 0.4 ? { i, kind: 'ERROR' } : null;
      }).filter((x) => x !== null);
      expect(events.map((e) => ({ i: e.callIndex, kind: e.kind }))).toEqual(expected);
    });

    it('should draw and report a seed when none is configured, so that the run can be replayed', async () => {
      const clock = new VirtualClock({ autoAdvance: true });
      const random: Random = { next: () => 0.25 };
      const drawn = new ChaosGateway(new RecordingGateway({ clock }), { failureRate: 0.5 }, { clock, random });
      const replay = new ChaosGateway(new RecordingGateway({ clock }), { failureRate: 0.5, seed: drawn.seed }, { clock });
      const failedCalls = async (gateway: ChaosGateway): Promise<number[]> =>
        (await chargeMany(gateway, clock, 60)).flatMap((o, i) => (o.ok ? [] : [i]));

      expect(drawn.seed).toBe(0x40000000);
      expect(drawn.getStats().seed).toBe(0x40000000);
      const failures = await failedCalls(drawn);
      expect(failures.length).toBeGreaterThan(0);
      expect(await failedCalls(replay)).toEqual(failures);
    });
  });

  describe('constructor', () => {
    describe('when the real gateway is not a PaymentGateway', () => {
      it('should throw CHAOS.INVALID_GATEWAY', () => {
        expect(() => new ChaosGateway({ name: 'STRIPE' } as never)).toThrow(expect.objectContaining({ code: 'CHAOS.INVALID_GATEWAY' }));
      });
    });

    describe('when the config is not an object', () => {
      it('should throw CHAOS.INVALID_CONFIG rather than a TypeError', () => {
        expect(() => new ChaosGateway(new RecordingGateway(), null as never, { random: { next: () => 0 } })).toThrow(
          expect.objectContaining({ code: 'CHAOS.INVALID_CONFIG' }),
        );
      });
    });
  });

  describe('.onInjection', () => {
    it('should refuse a listener that is not a function', () => {
      const { gateway } = setup({ seed: 1 });
      expect(() => gateway.onInjection('log' as never)).toThrow(expect.objectContaining({ code: 'CHAOS.INVALID_LISTENER' }));
    });

    it('should stop calling a listener once unsubscribed, and go on past a listener that throws', async () => {
      const { gateway, clock } = setup({ failureRate: 1, seed: 1 });
      const seen: string[] = [];
      const unsubscribe = gateway.onInjection((e) => seen.push(e.reference));
      gateway.onInjection(() => {
        throw new Error('broken listener');
      });
      await chargeMany(gateway, clock, 2);
      unsubscribe();
      const outcomes = await chargeMany(gateway, clock, 2);
      expect(seen).toEqual(['r0', 'r1']);
      expect(outcomes.every((o) => ChaosInjectedError.is((o as { error: unknown }).error))).toBe(true);
    });

    describe('when a listener throws', () => {
      it('should report what it threw to onListenerError, not swallow it, and leave the call as chaos decided', async () => {
        const clock = new VirtualClock({ autoAdvance: true });
        const reported: unknown[] = [];
        const broken = new Error('broken listener');
        const gateway = new ChaosGateway(new RecordingGateway({ name: 'STRIPE', clock }), { failureRate: 1, seed: 1 }, { clock, onListenerError: (e) => reported.push(e) });
        gateway.onInjection(() => {
          throw broken;
        });

        const outcomes = await chargeMany(gateway, clock, 2);

        expect(reported).toEqual([broken, broken]);
        expect(outcomes.every((o) => ChaosInjectedError.is((o as { error: unknown }).error))).toBe(true);
      });
    });
  });
});
