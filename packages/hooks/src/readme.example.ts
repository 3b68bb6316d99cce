import { Payment, SystemClock } from '@aegispay/domain';
import {
  GeographicFraudCheck,
  HighValueFraudCheck,
  HookExecutor,
  HookRegistry,
  VelocityFraudCheck,
  type HookContext,
} from '@aegispay/hooks';

export async function main() {
  const registry = new HookRegistry();
  registry.registerPreValidation({
    name: 'MinimumAmount',
    priority: 10,
    enabled: true,
    execute: ({ payment }) => (payment.amount >= 100 ? { valid: true } : { valid: false, errors: ['The minimum is 1.00'] }),
  });
  registry.registerFraudCheck(new HighValueFraudCheck(500_000)); // above 5 000.00 is refused
  registry.registerFraudCheck(new GeographicFraudCheck(['KP']));
  registry.registerFraudCheck(new VelocityFraudCheck(2, 60 * 60 * 1000)); // 2 payments per merchant per hour
  const notified: string[] = [];
  registry.registerEventListener({
    name: 'FailureNotifier',
    priority: 0,
    enabled: true,
    eventTypes: ['PaymentFailed'],
    execute: (event, context) => {
      notified.push(`${event.type}: ${context.payment.amount} ${context.payment.currency}`);
    },
  });
  const clock = new SystemClock(); // time is a port: tests pass a FakeClock
  const executor = new HookExecutor(registry, { clock, defaultTimeoutMs: 2_000 });

  async function screen(amount: number, country: string): Promise<string> {
    const payment = Payment.create({
      merchantId: 'shop_1',
      amount,
      currency: 'EUR',
      paymentMethod: { type: 'CARD', token: 'tok_visa' },
      metadata: { country },
    });
    const context: HookContext = { payment, timestamp: new Date(clock.now()), requestId: `req_${amount}`, metadata: {} };
    const validation = await executor.executePreValidation(context);
    if (!validation.valid) return `invalid: ${validation.errors.map((e) => `${e.hook}: ${e.message}`).join('; ')}`;
    const fraud = await executor.executeFraudChecks(context);
    if (fraud.allowed) return `allowed, risk ${fraud.riskScore}`;
    payment.startProcessing();
    payment.markFailed({ code: 'FRAUD.REFUSED', reason: fraud.reason ?? 'refused' });
    for (const event of payment.pullEvents()) await executor.emitEvent(event, context);
    return `refused by ${fraud.deniedBy}: ${fraud.reason}`;
  }

  return {
    tooSmall: await screen(50, 'DE'),
    first: await screen(2_500, 'DE'),
    blockedCountry: await screen(2_500, 'KP'),
    highValue: await screen(900_000, 'DE'),
    second: await screen(3_000, 'DE'),
    third: await screen(4_000, 'DE'),
    notified,
  };
}
