import type { Clock } from '@aegispay/domain';
import type { StubBehaviour, StubEngine, StubRequestContext } from './stub-engine';
import type { FaultPlan, FaultScope, StubFault } from './stub-faults';
import type { WaitingRequests } from './stub-faults';
import type { StubLedger } from './stub-ledger';
import type { StubObject } from './stub-objects';
import type { WebhookSender } from './webhook-sender';
import { STUB_DEFAULT_API_VERSION } from './stub-api';

/** A PaymentIntent in the stub's ledger, with its refunds. */
export interface StubLedgerEntry {
  readonly id: string;
  /** The `Idempotency-Key` of the request that created it. */
  readonly idempotencyKey: string | null;
  readonly status: string;
  /** In Stripe's units of `currency`. */
  readonly amount: number;
  readonly amountReceived: number;
  /** Lower-case, as Stripe writes it. */
  readonly currency: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly refunds: readonly { readonly id: string; readonly amount: number; readonly status: string }[];
}

/** A webhook event and its delivery. */
export interface StubEvent {
  readonly id: string;
  readonly type: string;
  /** Id of the PaymentIntent or Refund it is about. */
  readonly objectId: string;
  readonly delivered: boolean;
  readonly attempts: number;
}

/**
 * Controls a running Stripe stub: faults, the customer's side (3-D Secure, async settlement), the
 * ledger and webhooks. The same interface in-process (`stub.control`) and over HTTP
 * (`connectStripeStub`), so a test drives a stub process as it drives an in-process one.
 */
export interface StripeStubControl {
  /** `fault` for the next `times` calls (of `scope.operation`, or any). Defaults to one call. */
  injectFault(fault: StubFault, options?: FaultScope & { readonly times?: number }): Promise<void>;
  /** `fault` for a share `rate` (0…1) of calls, until {@link clearFaults}. Sampled with the stub's `Random`. */
  setFaultRate(fault: StubFault, rate: number, options?: FaultScope): Promise<void>;
  clearFaults(): Promise<void>;
  /** Resolves once at least `count` requests wait on a `hold` fault. Defaults to 1. */
  waitForHeld(count?: number): Promise<void>;
  /** Lets every held request go on; resolves with how many there were. */
  releaseHeld(): Promise<number>;
  /** The next `times` PaymentIntents that would succeed stay `processing` until settled. Defaults to 1. */
  processNextAsync(times?: number): Promise<void>;
  /** The next `times` refunds stay `pending` until settled. Defaults to 1. */
  refundNextAsync(times?: number): Promise<void>;
  /** The customer completes (`succeed`) or fails 3-D Secure on a PaymentIntent in `requires_action`. */
  completeAction(paymentIntentId: string, outcome: 'succeed' | 'fail'): Promise<StubObject>;
  /** A `processing` PaymentIntent succeeds or fails. */
  settlePaymentIntent(paymentIntentId: string, outcome: 'succeeded' | 'failed'): Promise<StubObject>;
  /** A `pending` refund succeeds or fails. */
  settleRefund(refundId: string, outcome: 'succeeded' | 'failed'): Promise<StubObject>;
  /** The PaymentIntents (all, or those created under the idempotency key `reference`), with their refunds. */
  ledger(reference?: string): Promise<readonly StubLedgerEntry[]>;
  /** Captured charges made under the idempotency key `reference`, and the amount refunded on them (Stripe units). */
  chargesFor(reference: string): Promise<{ readonly charges: number; readonly refunded: number }>;
  /** Every event, in order, with its delivery state. */
  events(): Promise<readonly StubEvent[]>;
  /** Resolves once every pending webhook has been tried. */
  flushWebhooks(): Promise<void>;
  /** Sends the event again (as Stripe does on a manual resend); resolves with the endpoint's status. */
  redeliverEvent(eventId: string): Promise<number>;
}

/** What the in-process control acts on. */
export interface LocalControlDependencies {
  readonly ledger: StubLedger;
  readonly engine: StubEngine;
  readonly faults: FaultPlan;
  readonly waiting: WaitingRequests;
  readonly behaviour: StubBehaviour;
  readonly webhooks: WebhookSender;
  readonly clock: Clock;
  readonly baseUrl: () => string;
}

/** The control of an in-process stub. */
export function localStubControl(deps: LocalControlDependencies): StripeStubControl {
  const context = (): StubRequestContext => ({ nowMs: deps.clock.now(), requestId: null, idempotencyKey: null, apiVersion: STUB_DEFAULT_API_VERSION, baseUrl: deps.baseUrl() });
  const changing = async (work: () => StubObject): Promise<StubObject> => {
    const result = deps.ledger.transaction(work);
    deps.webhooks.kick();
    return result;
  };
  const entries = (reference?: string): StubLedgerEntry[] =>
    deps.ledger.paymentIntents(reference).map(({ object: intent, idempotencyKey }) => ({
      id: intent['id'] as string,
      idempotencyKey,
      status: intent['status'] as string,
      amount: intent['amount'] as number,
      amountReceived: intent['amount_received'] as number,
      currency: intent['currency'] as string,
      metadata: intent['metadata'] as Record<string, string>,
      refunds: deps.ledger.refundsOf(intent['id'] as string).map((refund) => ({ id: refund['id'] as string, amount: refund['amount'] as number, status: refund['status'] as string })),
    }));
  return {
    injectFault: async (fault, options = {}) => deps.faults.next(fault, options.times ?? 1, options),
    setFaultRate: async (fault, rate, options = {}) => deps.faults.rate(fault, rate, options),
    clearFaults: async () => deps.faults.clear(),
    waitForHeld: (count = 1) => deps.waiting.whenHeld(count),
    releaseHeld: async () => deps.waiting.release(),
    processNextAsync: async (times = 1) => {
      deps.behaviour.asyncPayments += positive(times);
    },
    refundNextAsync: async (times = 1) => {
      deps.behaviour.asyncRefunds += positive(times);
    },
    completeAction: (id, outcome) => changing(() => deps.engine.completeAction(id, outcome, context())),
    settlePaymentIntent: (id, outcome) => changing(() => deps.engine.settlePaymentIntent(id, outcome, context())),
    settleRefund: (id, outcome) => changing(() => deps.engine.settleRefund(id, outcome, context())),
    ledger: async (reference) => entries(reference),
    chargesFor: async (reference) => {
      const captured = entries(reference).filter((entry) => entry.status === 'succeeded');
      const refunded = captured.flatMap((entry) => entry.refunds).filter((refund) => refund.status === 'succeeded');
      return { charges: captured.length, refunded: refunded.reduce((sum, refund) => sum + refund.amount, 0) };
    },
    events: async () =>
      deps.ledger.events().map((event) => {
        const parsed = JSON.parse(event.body) as { data: { object: { id: string } } };
        return { id: event.id, type: event.type, objectId: parsed.data.object.id, delivered: event.deliveredMs !== null, attempts: event.attempts };
      }),
    flushWebhooks: () => deps.webhooks.flush(),
    redeliverEvent: (id) => deps.webhooks.redeliver(id),
  };
}

function positive(times: number): number {
  if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a positive integer');
  return times;
}
