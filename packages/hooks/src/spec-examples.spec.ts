/**
 * The examples of the spec's "Extensibility Hooks" section, kept as close to the text as strict
 * TypeScript allows, importing from the public barrel. Deviations are marked.
 */
import { Payment, type GatewayType, type PaymentEvent } from '@aegispay/domain';
import { FakeClock, testPaymentDependencies } from '@aegispay/domain/testing';

import {
  GeographicFraudCheck,
  HighValueFraudCheck,
  HookExecutor,
  HookRegistry,
  type FraudCheckHook,
  type HookContext,
  type RoutingContext,
  type RoutingDecision,
  type RoutingStrategyHook,
} from './index';

const deps = testPaymentDependencies();

function aPayment(amount: number, metadata: Record<string, string> = {}): Payment {
  return Payment.create({ merchantId: 'merchant_42', amount, currency: 'USD', paymentMethod: { type: 'CARD', token: 'tok_1' }, metadata }, deps);
}

describe('Extensibility Hooks (spec examples)', () => {
  describe('Usage Example', () => {
    // The spec leaves getRecentPaymentCount to the reader: here, a count per merchant.
    const recent = new Map<string, number>();
    async function getRecentPaymentCount(merchantId: string): Promise<number> {
      const count = (recent.get(merchantId) ?? 0) + 1;
      recent.set(merchantId, count);
      return count;
    }

    function setUp(): HookExecutor {
      recent.clear();
      // 1. Create registry and executor
      const hookRegistry = new HookRegistry();
      const hookExecutor = new HookExecutor(hookRegistry);

      // 2. Register built-in hooks
      hookRegistry.registerFraudCheck(new HighValueFraudCheck(10000));
      hookRegistry.registerFraudCheck(new GeographicFraudCheck(['XX']));

      // 3. Register custom hook
      const velocityCheck: FraudCheckHook = {
        name: 'VelocityCheck',
        priority: 80,
        enabled: true,
        execute: async (context) => {
          const recentCount = await getRecentPaymentCount(context.payment.merchantId);

          if (recentCount > 10) {
            return {
              allowed: false,
              riskScore: 0.9,
              reason: `Too many payments: ${recentCount} in last hour`,
            };
          }

          return { allowed: true, riskScore: 0.1 };
        },
      };
      hookRegistry.registerFraudCheck(velocityCheck);
      return hookExecutor;
    }

    describe('when the merchant makes its eleventh payment', () => {
      it('should block it with the velocity check reason and risk score', async () => {
        const hookExecutor = setUp();
        const log: string[] = [];
        const results = [];
        for (let i = 0; i < 11; i += 1) {
          const payment = aPayment(5_000);
          // 4. Execute hooks
          const context: HookContext = {
            payment,
            timestamp: new Date(),
            requestId: 'req-123',
            metadata: { country: 'US' },
          };

          const fraudResult = await hookExecutor.executeFraudChecks(context);

          if (!fraudResult.allowed) {
            log.push(`Payment blocked: ${fraudResult.reason}`);
            log.push(`Risk score: ${fraudResult.riskScore}`);
          }
          results.push(fraudResult);
        }

        expect(results.slice(0, 10).every((r) => r.allowed && r.riskScore === 0.1)).toBe(true);
        expect(log).toEqual(['Payment blocked: Too many payments: 11 in last hour', 'Risk score: 0.9']);
        expect(results[10]?.deniedBy).toBe('VelocityCheck');
      });
    });

    describe('when the payment is high-value or from a blocked country', () => {
      it('should block it with the built-in checks, the higher priority first', async () => {
        const hookExecutor = setUp();
        const context = (payment: Payment, country: string): HookContext => ({ payment, timestamp: new Date(), requestId: 'req-123', metadata: { country } });

        const highValue = await hookExecutor.executeFraudChecks(context(aPayment(15_000), 'XX'));
        const blockedCountry = await hookExecutor.executeFraudChecks(context(aPayment(5_000), 'XX'));

        expect(highValue).toMatchObject({ allowed: false, deniedBy: 'HighValueFraudCheck', riskScore: 0.9 });
        expect(blockedCountry).toMatchObject({ allowed: false, deniedBy: 'GeographicFraudCheck', riskScore: 1 });
      });
    });
  });

  describe('Custom Routing Strategy Hook', () => {
    class RegionBasedRoutingStrategy implements RoutingStrategyHook {
      name = 'RegionBasedRouting';
      priority = 100;
      enabled = true;

      async execute(context: RoutingContext): Promise<RoutingDecision> {
        const region = context.metadata.region as string;

        // Prefer regional gateway
        const regionalGateway = this.getRegionalGateway(region);

        if (context.availableGateways.includes(regionalGateway)) {
          return {
            gatewayType: regionalGateway,
            confidence: 0.9,
            reason: `Regional preference for ${region}`,
            metadata: { region },
          };
        }

        // Fallback to default
        return {
          // Deviation: strict indexing types `availableGateways[0]` as possibly undefined.
          gatewayType: context.availableGateways[0] ?? 'STRIPE',
          confidence: 0.5,
          reason: 'No regional gateway available',
        };
      }

      private getRegionalGateway(region: string): GatewayType {
        const regionMap: Record<string, GatewayType> = {
          US: 'STRIPE',
          EU: 'ADYEN',
          ASIA: 'PAYPAL',
        };
        return regionMap[region] || 'STRIPE';
      }
    }

    function route(region: string, availableGateways: GatewayType[], minRoutingConfidence?: number): ReturnType<HookExecutor['executeRoutingStrategies']> {
      const hookRegistry = new HookRegistry();
      hookRegistry.registerRoutingStrategy(new RegionBasedRoutingStrategy());
      const executor = new HookExecutor(hookRegistry, { clock: new FakeClock(), ...(minRoutingConfidence === undefined ? {} : { minRoutingConfidence }) });
      return executor.executeRoutingStrategies({ payment: aPayment(5_000), timestamp: new Date(0), requestId: 'req-1', metadata: { region }, availableGateways });
    }

    describe('when the regional gateway is available', () => {
      it('should route there with confidence 0.9', async () => {
        const { decision } = await route('EU', ['STRIPE', 'ADYEN']);

        expect(decision).toEqual({
          strategy: 'RegionBasedRouting',
          gatewayType: 'ADYEN',
          confidence: 0.9,
          reason: 'Regional preference for EU',
          metadata: { region: 'EU' },
        });
      });
    });

    describe('when the regional gateway is not available', () => {
      it('should leave the low-confidence fallback to the routing engine at the default threshold', async () => {
        const outcome = await route('ASIA', ['STRIPE', 'ADYEN']);

        expect(outcome.decision).toBeNull();
        expect(outcome.considered).toEqual([
          { strategy: 'RegionBasedRouting', gatewayType: 'STRIPE', confidence: 0.5, reason: 'No regional gateway available', rejection: 'BELOW_CONFIDENCE_THRESHOLD' },
        ]);
      });

      it('should take the fallback when the threshold allows 0.5', async () => {
        expect((await route('ASIA', ['SQUARE', 'ADYEN'], 0.5)).decision?.gatewayType).toBe('SQUARE');
      });
    });
  });

  describe('Event Listener Hook', () => {
    it('should post only PaymentFailed and RefundProcessed events, with the payment id, amount and status', async () => {
      const posted: { url: string; method: string; body: unknown }[] = [];
      // Deviation: a local fake stands in for the global fetch.
      const fetch = async (url: string, init: { method: string; body: string }): Promise<void> => {
        posted.push({ url, method: init.method, body: JSON.parse(init.body) });
      };
      const hookRegistry = new HookRegistry();

      hookRegistry.registerEventListener({
        name: 'SlackNotifier',
        priority: 0,
        enabled: true,
        eventTypes: ['PaymentFailed', 'RefundProcessed'],

        execute: async (event, context) => {
          await fetch('https://hooks.slack.com/...', {
            method: 'POST',
            body: JSON.stringify({
              text: `${event.type}: ${context.payment.id}`,
              amount: context.payment.amount,
              status: context.payment.status,
            }),
          });
        },
      });

      const executor = new HookExecutor(hookRegistry, { clock: new FakeClock() });
      const emitAll = async (payment: Payment, events: readonly PaymentEvent[]): Promise<void> => {
        for (const event of events) await executor.emitEvent(event, { payment, timestamp: new Date(0), requestId: 'req-1', metadata: {} });
      };
      const failed = aPayment(2_500);
      failed.startProcessing();
      failed.markFailed({ code: 'GATEWAY.DECLINED', reason: 'Do not honour' });
      await emitAll(failed, failed.pullEvents());
      const refunded = aPayment(4_000);
      refunded.startProcessing();
      refunded.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_1' });
      refunded.refund({ amount: 1_000 });
      await emitAll(refunded, refunded.pullEvents());

      expect(posted).toEqual([
        { url: 'https://hooks.slack.com/...', method: 'POST', body: { text: `PaymentFailed: ${failed.id}`, amount: 2_500, status: 'FAILED' } },
        { url: 'https://hooks.slack.com/...', method: 'POST', body: { text: `RefundProcessed: ${refunded.id}`, amount: 4_000, status: 'PARTIALLY_REFUNDED' } },
      ]);
    });
  });

  describe('Integration Example (the calls ProductionPaymentService makes)', () => {
    it('should accept the Payment aggregate inline and answer in the shapes the service reads', async () => {
      const hookRegistry = new HookRegistry();
      hookRegistry.registerFraudCheck(new HighValueFraudCheck(10000));
      hookRegistry.registerErrorHandler({
        name: 'RetryTimeouts',
        priority: 0,
        enabled: true,
        execute: (context) => ({ shouldRetry: context.error.message.includes('timed out'), retryAfterMs: 500 }),
      });
      const hookExecutor = new HookExecutor(hookRegistry, { clock: new FakeClock() });
      const payment = aPayment(12_000);
      const generateId = (): string => 'req-1';

      const preValidation = await hookExecutor.executePreValidation({ payment, timestamp: new Date(), requestId: generateId(), metadata: {} });
      const fraudResult = await hookExecutor.executeFraudChecks({ payment, timestamp: new Date(), requestId: generateId(), metadata: {} });
      const error: unknown = new Error('Gateway timed out');
      const errorResult = await hookExecutor.executeErrorHandlers({
        payment,
        timestamp: new Date(),
        requestId: generateId(),
        metadata: {},
        error: error as Error,
        attemptNumber: 1,
        previousAttempts: [],
      });

      expect(preValidation.valid).toBe(true);
      expect([fraudResult.allowed, fraudResult.reason, fraudResult.riskScore]).toEqual([
        false,
        'Payment amount 12000 USD (minor units) exceeds the high-value threshold of 10000',
        0.9,
      ]);
      expect([errorResult?.shouldRetry, errorResult.retryAfterMs]).toEqual([true, 500]);
    });
  });
});
