import type { PaymentEvent } from '@aegispay/domain';
import { FakeClock, aPendingPayment } from '@aegispay/domain/testing';

import { HookFailedError } from '../errors/hook.errors';
import type { EventListenerHook } from '../hooks/event-listener.hook';
import type { MetricSample } from '../hooks/metrics-collector.hook';
import { HookRegistry } from '../registry/hook-registry';
import { aHookContext, RecordingEventListener, RecordingMetricsCollector } from '../testing';
import { HookExecutor } from './hook-executor';
import type { HookFailure } from './hook-outcomes';

function failedEventOf(payment = aPendingPayment()): PaymentEvent {
  payment.startProcessing();
  payment.markFailed({ code: 'GATEWAY.DECLINED', reason: 'Declined', gateway: 'STRIPE' });
  const event = payment.pullEvents().at(-1);
  if (event === undefined) throw new Error('no event recorded');
  return event;
}

function failingListener(name: string, priority: number, extra: Partial<EventListenerHook> = {}): EventListenerHook {
  return {
    name,
    priority,
    enabled: true,
    eventTypes: ['*'],
    execute: () => Promise.reject(new Error('webhook 500')),
    ...extra,
  };
}

describe(HookExecutor, () => {
  describe('.emitEvent', () => {
    describe('when listeners filter by event type', () => {
      it('should deliver the event only to listeners naming its type or the wildcard, in priority order', async () => {
        const registry = new HookRegistry();
        const failures = new RecordingEventListener('Failures', ['PaymentFailed', 'RefundProcessed'], 1);
        const successes = new RecordingEventListener('Successes', ['PaymentSucceeded'], 5);
        const audit = new RecordingEventListener('Audit', ['*'], 9);
        [failures, successes, audit].forEach((l) => registry.registerEventListener(l));

        const outcome = await new HookExecutor(registry, { clock: new FakeClock() }).emitEvent(failedEventOf(), aHookContext());

        expect(outcome).toEqual({ eventType: 'PaymentFailed', delivered: ['Audit', 'Failures'], failures: [] });
        expect(failures.eventTypesReceived).toEqual(['PaymentFailed']);
        expect(successes.received).toEqual([]);
        expect(Object.isFrozen(failures.received[0]?.event.payload)).toBe(true);
      });
    });

    describe('when the event is not an event', () => {
      it('should reject it with a typed error naming the event', async () => {
        const executor = new HookExecutor(new HookRegistry(), { clock: new FakeClock() });

        await expect(executor.emitEvent(null as unknown as PaymentEvent, aHookContext())).rejects.toMatchObject({ code: 'HOOK.INVALID_CONTEXT', field: 'event' });
      });
    });

    describe('when nobody listens to the event type', () => {
      it('should deliver to no one', async () => {
        const registry = new HookRegistry();
        registry.registerEventListener(new RecordingEventListener('Refunds', ['RefundProcessed']));

        const outcome = await new HookExecutor(registry, { clock: new FakeClock() }).emitEvent(failedEventOf(), aHookContext());

        expect(outcome).toEqual({ eventType: 'PaymentFailed', delivered: [], failures: [] });
      });
    });

    describe('when a listener fails (fail-open by default)', () => {
      it('should still deliver to the others, report the failure and resolve', async () => {
        const registry = new HookRegistry();
        const after = new RecordingEventListener('After', ['*'], 0);
        registry.registerEventListener(failingListener('Webhook', 5));
        registry.registerEventListener(after);
        const reported: HookFailure[] = [];

        const outcome = await new HookExecutor(registry, { clock: new FakeClock(), onHookFailure: (f) => reported.push(f) }).emitEvent(
          failedEventOf(),
          aHookContext(),
        );

        expect(outcome.delivered).toEqual(['After']);
        expect(outcome.failures).toEqual(reported);
        expect(reported.map((f) => [f.hook, f.hookType, f.policy])).toEqual([['Webhook', 'EVENT_LISTENER', 'FAIL_OPEN']]);
      });
    });

    describe('when a FAIL_CLOSED listener fails', () => {
      it('should deliver to the others first, then reject naming it', async () => {
        const registry = new HookRegistry();
        const after = new RecordingEventListener('After', ['*'], 0);
        registry.registerEventListener(failingListener('Ledger', 5, { failurePolicy: 'FAIL_CLOSED' }));
        registry.registerEventListener(after);

        const error: unknown = await new HookExecutor(registry, { clock: new FakeClock() })
          .emitEvent(failedEventOf(), aHookContext())
          .catch((e: unknown) => e);

        expect(HookFailedError.is(error)).toBe(true);
        expect(error).toMatchObject({ hookName: 'Ledger', details: { delivered: ['After'] } });
        expect(after.received).toHaveLength(1);
      });
    });
  });

  describe('.executeMetricsCollectors', () => {
    const samples: MetricSample[] = [
      { name: 'payment.latency', value: 182, unit: 'ms', tags: { gateway: 'STRIPE', outcome: 'APPROVED' } },
      { name: 'payment.amount', value: 15000, unit: 'minor_units', tags: { currency: 'EUR' } },
    ];

    describe('when collectors are registered', () => {
      it('should hand every collector the samples, frozen, with the payment context', async () => {
        const registry = new HookRegistry();
        const first = new RecordingMetricsCollector('Statsd', 2);
        let seenPaymentId: string | undefined;
        registry.registerMetricsCollector(first);
        registry.registerMetricsCollector({
          name: 'Otel',
          priority: 1,
          enabled: true,
          execute: (metrics, context) => {
            seenPaymentId = context.payment.id;
            expect(Object.isFrozen(metrics[0]?.tags)).toBe(true);
          },
        });
        const context = aHookContext();

        const outcome = await new HookExecutor(registry, { clock: new FakeClock() }).executeMetricsCollectors(samples, context);

        expect(outcome).toEqual({ delivered: ['Statsd', 'Otel'], failures: [] });
        expect(first.samples).toEqual(samples);
        expect(seenPaymentId).toBe(context.payment.id);
      });
    });

    describe('when a collector fails (fail-open by default)', () => {
      it('should leave the others and the caller unaffected', async () => {
        const registry = new HookRegistry();
        const second = new RecordingMetricsCollector('Second', 1);
        registry.registerMetricsCollector({
          name: 'Broken',
          priority: 2,
          enabled: true,
          execute: () => {
            throw new TypeError('undefined is not a function');
          },
        });
        registry.registerMetricsCollector(second);

        const outcome = await new HookExecutor(registry, { clock: new FakeClock() }).executeMetricsCollectors(samples, aHookContext());

        expect(outcome.delivered).toEqual(['Second']);
        expect(outcome.failures.map((f) => [f.hook, f.kind])).toEqual([['Broken', 'ERROR']]);
      });
    });

    describe('when a sample is malformed', () => {
      it('should reject it, naming its index', async () => {
        const executor = new HookExecutor(new HookRegistry(), { clock: new FakeClock() });
        const bad = [samples[0], { name: 'x', value: Number.NaN, tags: {} }] as MetricSample[];

        await expect(executor.executeMetricsCollectors(bad, aHookContext())).rejects.toMatchObject({ code: 'HOOK.INVALID_CONTEXT', field: 'metrics.1' });
      });
    });
  });
});
