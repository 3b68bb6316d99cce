import { IdempotencyKeyReuseError, InvalidOptionError, type IdempotencyStore, type PaymentEvent } from '@aegispay/domain';
import { aPaymentRequest } from '@aegispay/domain/testing';
import { HookExecutor, HookRegistry } from '@aegispay/hooks';
import { InMemoryIdempotencyStore, InMemoryPaymentRepository } from '@aegispay/locking';
import { createOrchestratorHarness, paymentIdOf, storedOf, type OrchestratorHarness } from '../testing';
import { OrchestratorConfigurationError } from '../errors/orchestrator.errors';
import { PaymentOrchestrator } from './payment-orchestrator';

async function attemptsOf(h: OrchestratorHarness, paymentId: string | null): Promise<[string, string][]> {
  const stored = await h.repository.findById(paymentId as string);
  return (stored?.attempts ?? []).map((attempt) => [attempt.gateway, attempt.outcome]);
}

function hooksWith(configure: (registry: HookRegistry) => void): HookExecutor {
  const registry = new HookRegistry();
  configure(registry);
  return new HookExecutor(registry);
}

describe(PaymentOrchestrator, () => {
  describe('.processPayment', () => {
    describe('when the first gateway approves', () => {
      it('should capture the payment there, persist every state change and record the attempt', async () => {
        const h = createOrchestratorHarness();

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toEqual(expect.objectContaining({ outcome: 'SUCCEEDED', status: 'PAID', gateway: 'STRIPE', attempts: 1, replayed: false }));
        expect(result).not.toHaveProperty('code');
        const stored = await h.repository.findById(paymentIdOf(result));
        expect(stored?.status).toBe('PAID');
        // Two writes: stored PROCESSING with the attempt in flight before the call, then the outcome.
        expect(stored?.version).toBe(2);
        expect(stored?.attempts).toEqual([
          expect.objectContaining({ attemptNumber: 1, gateway: 'STRIPE', outcome: 'APPROVED', reference: `${paymentIdOf(result)}:1` }),
        ]);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
        expect(h.metrics.getMetrics('STRIPE')).toMatchObject({ volume: 1 });
        // Recorded in the payment's routing segment too.
        expect(h.metrics.trackedSegments).toBe(1);
        expect(h.breakers.getBreaker('STRIPE').getHealth().totalCalls).toBe(1);
      });

      it('should return a JSON-safe result with the stored payment', async () => {
        const h = createOrchestratorHarness();

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
        expect(storedOf(result).payment).toMatchObject({ status: 'PAID', gateway: 'STRIPE', amount: 15000, currency: 'EUR' });
      });
    });

    describe('when the request is invalid', () => {
      it('should throw the typed domain error and store nothing', async () => {
        const h = createOrchestratorHarness();

        await expect(h.orchestrator.processPayment(aPaymentRequest({ amount: 10.5 }))).rejects.toMatchObject({ code: 'MONEY.AMOUNT_NOT_INTEGER' });
        await expect(h.orchestrator.processPayment(aPaymentRequest({ description: 'card 4111 1111 1111 1111' }))).rejects.toMatchObject({
          code: 'PAYMENT.CARD_DATA_DETECTED',
        });
        expect(await h.repository.findByStatus('PENDING')).toEqual([]);
        expect(h.gateway('STRIPE').chargeCalls).toBe(0);
      });

      it('should release the idempotency key so a corrected request can use it', async () => {
        const h = createOrchestratorHarness();

        await expect(h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'k1', currency: 'EURO' }))).rejects.toMatchObject({ code: 'MONEY.INVALID_CURRENCY_FORMAT' });
        // The bad body was never claimed under the key: a different (valid) body is not a reuse.
        const result = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'k1' }));

        expect(result.outcome).toBe('SUCCEEDED');
      });
    });

    describe('when gateways fail technically', () => {
      it('should fail over down the ranking and succeed on the next gateway', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('FAIL');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN', attempts: 2 });
        expect(await attemptsOf(h, paymentIdOf(result))).toEqual([
          ['STRIPE', 'TECHNICAL_FAILURE'],
          ['ADYEN', 'APPROVED'],
        ]);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
      });

      it('should wait the fail-over backoff between attempts', async () => {
        const h = createOrchestratorHarness({ orchestrator: { failoverBackoff: { initialBackoffMs: 200, jitterFactor: 0 } } });
        h.gateway('STRIPE').script('FAIL');
        const started = h.clock.now();

        await h.orchestrator.processPayment(aPaymentRequest());

        expect(h.clock.now() - started).toBe(200);
      });

      it('should stop after maxAttempts gateway calls and fail the payment', async () => {
        const h = createOrchestratorHarness({ orchestrator: { maxAttempts: 2 } });
        for (const gateway of h.gateways.values()) gateway.always('FAIL');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'FAILED', status: 'FAILED', code: 'ALL_GATEWAYS_FAILED', attempts: 2 });
        expect(h.gateway('PAYPAL').chargeCalls).toBe(0);
        expect(result.reason).toMatch(/after 2 attempt\(s\)/);
      });

      it('should go round the candidates again after refusals before sending, until maxTries', async () => {
        const h = createOrchestratorHarness({ gateways: ['STRIPE', 'ADYEN'], orchestrator: { maxAttempts: 2, maxTries: 5 } });
        h.gateway('STRIPE').script('THROW_BEFORE', 'THROW_BEFORE');
        h.gateway('ADYEN').script('THROW_BEFORE', 'THROW_BEFORE');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'STRIPE', attempts: 1 });
        expect([h.gateway('STRIPE').chargeCalls, h.gateway('ADYEN').chargeCalls]).toEqual([3, 2]);
      });

      it('should give up after maxTries when every call is refused before sending', async () => {
        const h = createOrchestratorHarness({ gateways: ['STRIPE', 'ADYEN'], orchestrator: { maxTries: 4 } });
        h.gateway('STRIPE').always('THROW_BEFORE');
        h.gateway('ADYEN').always('THROW_BEFORE');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'FAILED', code: 'TEST.TRANSPORT', attempts: 0 });
        expect(h.gateway('STRIPE').chargeCalls + h.gateway('ADYEN').chargeCalls).toBe(4);
      });

      it('should skip a gateway that refused the request before sending it, without a status check', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('THROW_BEFORE');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN', attempts: 1 });
        expect(h.gateway('STRIPE').statusCalls).toBe(0);
      });
    });

    describe('when a gateway declines', () => {
      it('should end the payment on a hard decline without trying another gateway', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('DECLINE_HARD');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'DECLINED', status: 'FAILED', code: 'stolen_card', gateway: 'STRIPE' });
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
        expect(h.breakers.getBreaker('STRIPE').getHealth().consecutiveFailures).toBe(0);
      });

      it('should end the payment on a soft decline by default', async () => {
        const h = createOrchestratorHarness();
        h.gateway('STRIPE').script('DECLINE_SOFT');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'DECLINED', code: 'insufficient_funds' });
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
      });

      it('should fail over after a soft decline when configured to', async () => {
        const h = createOrchestratorHarness({ orchestrator: { softDeclines: 'FAILOVER' } });
        h.gateway('STRIPE').script('DECLINE_SOFT');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN' });
        expect(await attemptsOf(h, paymentIdOf(result))).toEqual([
          ['STRIPE', 'DECLINED'],
          ['ADYEN', 'APPROVED'],
        ]);
      });
    });

    describe('when the outcome of a charge is unknown', () => {
      it.each(['HANG_AFTER', 'THROW_AFTER', 'UNKNOWN_AFTER'] as const)(
        'should ask the same gateway after %s and, learning it charged, succeed without charging elsewhere',
        async (behaviour) => {
          const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 2_000 } });
          h.gateway('STRIPE').script(behaviour);

          const result = await h.orchestrator.processPayment(aPaymentRequest());

          expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'STRIPE', attempts: 1 });
          expect(h.gateway('STRIPE').statusCalls).toBeGreaterThanOrEqual(1);
          expect(h.gateway('ADYEN').chargeCalls).toBe(0);
          expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
        },
      );

      it('should fail over safely when the gateway says the request never arrived', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 2_000 } });
        h.gateway('STRIPE').script('HANG_BEFORE');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN', attempts: 2 });
        expect(h.gateway('STRIPE').approvedChargesOf(paymentIdOf(result))).toHaveLength(0);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
      });

      it('should not trust a NOT_FOUND while the request may still arrive, so a late arrival cannot charge twice', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 1_000, statusCheck: { clockSkewMs: 500 } } });
        // The request is still on the wire when our deadline fires and the first status check says NOT_FOUND
        // (a gateway breaking the contract, which forbids NOT_FOUND while a request could still land).
        h.gateway('STRIPE').script('ARRIVE_LATE').setTransitMs(1_200).answerNotFoundAtOnce();
        const started = h.clock.now();

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN' });
        expect(h.gateway('STRIPE').expiredArrivals).toBe(1);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
        // Fail-over waited for the deadline plus the skew margin before trusting NOT_FOUND.
        expect(h.clock.now() - started).toBeGreaterThanOrEqual(1_500);
      });

      it('should not trust a NOT_FOUND at the very millisecond of the deadline, when the gateway may still act on the request', async () => {
        // No skew margin, and the request lands exactly at its deadline: not after it, so the gateway still charges it.
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 1_000, statusCheck: { clockSkewMs: 0 } } });
        h.gateway('STRIPE').script('ARRIVE_LATE').setTransitMs(1_000).answerNotFoundAtOnce();

        const result = await h.orchestrator.processPayment(aPaymentRequest());
        await h.clock.advance(10_000); // anything still in transit lands

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'STRIPE' });
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
      });

      it('should use a late arrival that beat the deadline instead of charging elsewhere', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 1_000, statusCheck: { clockSkewMs: 500, attempts: 1 } } });
        h.gateway('STRIPE').script('ARRIVE_LATE').setTransitMs(900); // arrives in time; the answer would come at 1 800 ms

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'STRIPE' });
        expect(h.gateway('STRIPE').statusCalls).toBe(1);
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
      });

      it('should leave the payment PROCESSING for recovery, and try no other gateway, when the gateway cannot say', async () => {
        const h = createOrchestratorHarness({ orchestrator: { gatewayTimeoutMs: 2_000, statusCheck: { attempts: 2, intervalMs: 100 } } });
        h.gateway('STRIPE').script('HANG_AFTER').setStatusAvailable(false);

        const result = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-77' }));

        expect(result).toMatchObject({ outcome: 'PENDING_RECOVERY', status: 'PROCESSING', gateway: 'STRIPE' });
        expect(h.gateway('STRIPE').statusCalls).toBe(2);
        expect(h.gateway('ADYEN').chargeCalls + h.gateway('PAYPAL').chargeCalls).toBe(0);
        expect(await attemptsOf(h, paymentIdOf(result))).toEqual([['STRIPE', 'UNKNOWN']]);
        // A retry of the same request is told it is still in progress, not charged again.
        await expect(h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-77' }))).resolves.toMatchObject({ outcome: 'IN_PROGRESS' });
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });
    });

    describe('when breakers are open', () => {
      it('should route around a gateway whose breaker is open', async () => {
        const h = createOrchestratorHarness();
        h.breakers.getBreaker('STRIPE').isolate();

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN' });
        expect(h.gateway('STRIPE').chargeCalls).toBe(0);
      });

      it('should fail fast with NO_GATEWAY_AVAILABLE when every breaker is open', async () => {
        const h = createOrchestratorHarness();
        for (const name of h.gateways.keys()) h.breakers.getBreaker(name).isolate();

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'FAILED', status: 'FAILED', code: 'NO_GATEWAY_AVAILABLE', attempts: 0 });
      });

      it('should open a failing gateway\'s breaker and stop sending it traffic', async () => {
        const h = createOrchestratorHarness({ breakers: { failureThreshold: 3 } });
        h.gateway('STRIPE').always('FAIL');

        for (let i = 0; i < 6; i += 1) await h.orchestrator.processPayment(aPaymentRequest());

        expect(h.breakers.getBreaker('STRIPE').state).toBe('OPEN');
        expect(h.gateway('STRIPE').chargeCalls).toBe(3);
      });
    });

    describe('with an idempotency key', () => {
      it('should replay the first answer for the same key and body, without charging again', async () => {
        const h = createOrchestratorHarness();
        const first = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-1' }));

        const second = await h.orchestrator.processPayment({ ...aPaymentRequest({ idempotencyKey: 'order-1' }) });

        expect(second).toEqual({ ...first, replayed: true });
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });

      it('should refuse the same key with a different body, however deep the difference', async () => {
        const h = createOrchestratorHarness();
        await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-2', metadata: { country: 'DE', tier: 'a' } }));

        await expect(
          h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-2', metadata: { country: 'DE', tier: 'b' } })),
        ).rejects.toThrow(IdempotencyKeyReuseError);
      });

      it('should charge exactly once for 50 concurrent requests with one key', async () => {
        const h = createOrchestratorHarness();
        const request = aPaymentRequest({ idempotencyKey: 'order-3' });

        const results = await Promise.all(Array.from({ length: 50 }, () => h.orchestrator.processPayment({ ...request })));

        const charges = [...h.gateways.values()].reduce((sum, gateway) => sum + gateway.charges().length, 0);
        expect(charges).toBe(1);
        expect(results.filter((result) => result.outcome === 'SUCCEEDED' && !result.replayed)).toHaveLength(1);
        expect(results.every((result) => result.outcome === 'SUCCEEDED' || result.outcome === 'IN_PROGRESS')).toBe(true);
        expect(new Set(results.filter((result) => result.outcome !== 'IN_PROGRESS').map((result) => paymentIdOf(result))).size).toBe(1);
      });

      it('should answer a key whose record expired with the outcome its payment had: declined stays DECLINED, refused stays REJECTED', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerFraudCheck({
            name: 'Blocklist',
            priority: 1,
            enabled: true,
            execute: async (context) => (context.payment.amount === 666 ? { allowed: false, riskScore: 1, reason: 'blocked' } : { allowed: true, riskScore: 0 }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });
        h.gateway('STRIPE').script('DECLINE_HARD');
        const declined = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-d' }));
        const refused = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-r', amount: 666 }));
        await h.clock.advance(h.orchestrator.settings.idempotencyTtlMs + 1);

        const declinedAgain = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-d' }));
        const refusedAgain = await h.orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'order-r', amount: 666 }));

        expect(declinedAgain).toMatchObject({ outcome: 'DECLINED', code: 'stolen_card', paymentId: paymentIdOf(declined), replayed: true });
        expect(refusedAgain).toMatchObject({ outcome: 'REJECTED', code: 'FRAUD_REJECTED', paymentId: paymentIdOf(refused), replayed: true });
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });

      it('should answer a retry from the payment when its answer could not be stored for the key (a crash or a store failure in between)', async () => {
        let failNextComplete = true;
        const reported: { error: unknown; operation: string }[] = [];
        const h = createOrchestratorHarness({
          onError: (error, context) => reported.push({ error, operation: context.operation }),
          persistence: ({ clock }) => {
            const inner = new InMemoryIdempotencyStore({ clock });
            const idempotency: IdempotencyStore = {
              begin: (...args) => inner.begin(...args),
              peek: (...args) => inner.peek(...args),
              complete: async (...args) => {
                if (!failNextComplete) return inner.complete(...args);
                failNextComplete = false;
                throw new Error('connection lost');
              },
              release: (...args) => inner.release(...args),
              purgeExpired: (...args) => inner.purgeExpired(...args),
            };
            return { repository: new InMemoryPaymentRepository({ clock }), idempotency };
          },
        });
        const request = aPaymentRequest({ idempotencyKey: 'order-lost-answer' });
        const first = await h.orchestrator.processPayment(request);
        const stored = await h.repository.findByIdempotencyKey(request.merchantId, 'order-lost-answer');

        // Within a minute the owner may still be finishing: retries hear IN_PROGRESS, not a rebuilt answer.
        const tooSoon = await h.orchestrator.processPayment(request);
        await h.clock.advance(60_000);
        const retried = await h.orchestrator.processPayment(request);

        expect(first).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID' });
        expect(reported).toEqual([{ error: new Error('connection lost'), operation: 'idempotency.complete' }]);
        expect(stored?.status).toBe('PAID');
        expect(tooSoon).toMatchObject({ outcome: 'IN_PROGRESS' });
        expect(retried).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID', paymentId: stored?.id, replayed: true });
        expect(h.gateway('STRIPE').chargeCalls).toBe(1);
      });

      it('should refuse a keyed request when no idempotency store is configured', async () => {
        const h = createOrchestratorHarness();
        const orchestrator = new PaymentOrchestrator({
          repository: h.repository,
          gateways: [...h.gateways.values()],
          routing: h.routing,
          metrics: h.metrics,
          breakers: h.breakers,
          clock: h.clock,
        });

        await expect(orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'k' }))).rejects.toThrow(OrchestratorConfigurationError);
        await expect(orchestrator.processPayment(aPaymentRequest({ idempotencyKey: 'k' }))).rejects.toThrow(
          expect.objectContaining({ code: 'ORCHESTRATOR.INVALID_OPTION', field: 'idempotency' }) as Error,
        );
      });
    });

    describe('with hooks', () => {
      it('should reject a payment that fails pre-validation before any gateway is called', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerPreValidation({
            name: 'MinimumAmount',
            priority: 10,
            enabled: true,
            execute: async (context) => ({ valid: context.payment.amount >= 20_000, errors: ['amount below 200.00'] }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'REJECTED', status: 'FAILED', code: 'VALIDATION_FAILED', attempts: 0 });
        expect(result.reason).toMatch(/MinimumAmount: amount below 200\.00/);
        expect(h.gateway('STRIPE').chargeCalls).toBe(0);
      });

      it('should reject a payment a fraud check refuses, naming the check', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerFraudCheck({
            name: 'VelocityCheck',
            priority: 80,
            enabled: true,
            execute: async () => ({ allowed: false, riskScore: 0.9, reason: 'Too many payments' }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'REJECTED', code: 'FRAUD_REJECTED' });
        expect(result.reason).toMatch(/VelocityCheck: Too many payments/);
        expect(h.gateway('STRIPE').chargeCalls).toBe(0);
      });

      it('should store enrichment in the payment metadata and route by a strategy hook first', async () => {
        const hooks = hooksWith((registry) => {
          registry.registerEnrichment({ name: 'Tier', priority: 1, enabled: true, execute: async () => ({ metadata: { tier: 'gold' } }) });
          registry.registerRoutingStrategy({
            name: 'PreferPaypal',
            priority: 1,
            enabled: true,
            execute: async () => ({ gatewayType: 'PAYPAL', confidence: 0.95, reason: 'contract' }),
          });
        });
        const h = createOrchestratorHarness({ hooks });

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'PAYPAL' });
        expect(storedOf(result).payment?.metadata).toMatchObject({ tier: 'gold', country: 'DE' });
      });

      it('should let an error-handler hook stop fail-over', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerErrorHandler({
            name: 'NoFailover',
            priority: 1,
            enabled: true,
            execute: async () => ({ shouldRetry: false, reason: 'merchant policy' }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });
        h.gateway('STRIPE').script('FAIL');

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'FAILED', attempts: 1 });
        expect(result.reason).toMatch(/NoFailover stopped fail-over: merchant policy/);
        expect(h.gateway('ADYEN').chargeCalls).toBe(0);
      });

      it('should cap an error-handler hook\'s wait at maxBackoffMs, so recovery never judges a payment that is about to be charged', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerErrorHandler({
            name: 'WaitAnHour',
            priority: 1,
            enabled: true,
            execute: async () => ({ shouldRetry: true, retryAfterMs: 3_600_000 }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });
        h.gateway('STRIPE').script('FAIL');
        const started = h.clock.now();
        h.recovery.start();

        const result = await h.orchestrator.processPayment(aPaymentRequest()).finally(() => h.recovery.stop());

        expect(h.clock.now() - started).toBe(h.orchestrator.settings.failoverBackoff.maxBackoffMs);
        expect(result).toMatchObject({ outcome: 'SUCCEEDED', gateway: 'ADYEN' });
        expect((await h.repository.findById(paymentIdOf(result)))?.status).toBe('PAID');
        expect(h.approvedCharges(paymentIdOf(result))).toBe(1);
      });

      it('should hand every stored event to event listeners, in order', async () => {
        const seen: string[] = [];
        const hooks = hooksWith((registry) =>
          registry.registerEventListener({
            name: 'Recorder',
            priority: 0,
            enabled: true,
            eventTypes: ['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded', 'PaymentFailed'],
            execute: async (event: PaymentEvent) => {
              seen.push(event.type);
            },
          }),
        );
        const h = createOrchestratorHarness({ hooks });

        await h.orchestrator.processPayment(aPaymentRequest());

        expect(seen).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentSucceeded']);
      });

      it('should report post-validation problems in the reason without undoing the payment', async () => {
        const hooks = hooksWith((registry) =>
          registry.registerPostValidation({
            name: 'Reconcile',
            priority: 1,
            enabled: true,
            execute: async () => ({ valid: false, errors: ['ledger mismatch'] }),
          }),
        );
        const h = createOrchestratorHarness({ hooks });

        const result = await h.orchestrator.processPayment(aPaymentRequest());

        expect(result).toMatchObject({ outcome: 'SUCCEEDED', status: 'PAID' });
        expect(result.reason).toMatch(/Post-validation: Reconcile: ledger mismatch/);
      });
    });
  });

  describe('construction', () => {
    it.each([
      [{ gatewayTimeoutMs: 0 }, 'gatewayTimeoutMs'],
      [{ maxAttempts: 1.5 }, 'maxAttempts'],
      [{ softDeclines: 'RETRY' as never }, 'softDeclines'],
      [{ failoverBackoff: { jitterFactor: 2 } }, 'failoverBackoff.jitterFactor'],
      [{ failoverBackoff: { initialBackoffMs: 500, maxBackoffMs: 100 } }, 'failoverBackoff.maxBackoffMs'],
      [{ statusCheck: { attempts: 0 } }, 'statusCheck.attempts'],
      [{ maxAttempts: 3, maxTries: 2 }, 'maxTries'],
      [{ statusCheck: 'patient' as never }, 'statusCheck'],
      [{ failoverBackoff: 100 as never }, 'failoverBackoff'],
      [{ statusCheck: [3] as never }, 'statusCheck'],
    ])('should refuse %p naming %s', (options, field) => {
      const build = (): unknown => createOrchestratorHarness({ orchestrator: options });

      expect(build).toThrow(expect.objectContaining({ code: 'ORCHESTRATOR.INVALID_OPTION', field }) as Error);
      expect(build).toThrow(OrchestratorConfigurationError);
      expect(build).toThrow(InvalidOptionError);
      expect(build).toThrow(new RegExp(`^PaymentOrchestrator: ${field} `));
    });

    it('should refuse duplicate gateway names and an empty gateway list', () => {
      const h = createOrchestratorHarness();
      const base = { repository: h.repository, routing: h.routing, metrics: h.metrics, breakers: h.breakers };

      expect(() => new PaymentOrchestrator({ ...base, gateways: [] })).toThrow(OrchestratorConfigurationError);
      expect(() => new PaymentOrchestrator({ ...base, gateways: [] })).toThrow('PaymentOrchestrator: gateways must name at least one gateway');
      expect(() => new PaymentOrchestrator({ ...base, gateways: [h.gateway('STRIPE'), h.gateway('STRIPE')] })).toThrow(/two are named "STRIPE"/);
    });
  });
});
