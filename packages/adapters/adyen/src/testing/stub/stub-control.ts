import type { AdyenStubFault, AdyenStubFaultRates, StubFaults } from './stub-faults';
import type { StubNotificationRecord, StubPayment, StubRefund } from './stub-ledger';
import type { StubDelivery } from './stub-notifications';
import { newPspReference, resolvePayment, type StubContext } from './stub-operations';

/** What the stub's ledger holds. */
export interface AdyenStubLedgerView {
  readonly payments: readonly StubPayment[];
  readonly refunds: readonly StubRefund[];
}

/**
 * The stub's control API: fault injection, test data, webhook delivery and its ledger. The same
 * interface in-process (`stub.control`) and over HTTP for a stub running as its own process
 * ({@link AdyenStubControlClient}).
 */
export interface AdyenStubControl {
  /** Applies `fault` to the next API call (see {@link AdyenStubFault}). */
  inject(fault: AdyenStubFault): Promise<void>;
  /** Random faults on every API call from now on, drawn from `seed` when given. */
  setFaultRates(rates: AdyenStubFaultRates, seed?: number): Promise<void>;
  /** Forgets queued faults and rates. */
  clearFaults(): Promise<void>;
  /** Registers a stored card of `shopperReference` whose holder name decides its payments; returns its id. */
  storePaymentMethod(input: { readonly shopperReference: string; readonly holderName: string }): Promise<string>;
  /** Completes a payment that waits (Received, Pending, a shopper action) and sends its AUTHORISATION webhook. */
  resolvePayment(pspReference: string, resultCode: 'Authorised' | 'Refused'): Promise<void>;
  /** Delivers every queued webhook once, in order, to the notification URL. */
  deliverNotifications(): Promise<readonly StubDelivery[]>;
  /** Every webhook queued so far, delivered or not. */
  notifications(): Promise<readonly StubNotificationRecord[]>;
  /** The payments and refunds of the ledger. */
  ledger(): Promise<AdyenStubLedgerView>;
  /** How many authorised payments carry `merchantReference`, and how much was refunded on them for good. */
  chargeSummary(merchantReference: string): Promise<{ readonly charges: number; readonly refundedMinor: number }>;
}

/** The control API names a remote client may call. */
export const STUB_CONTROL_METHODS = [
  'inject',
  'setFaultRates',
  'clearFaults',
  'storePaymentMethod',
  'resolvePayment',
  'deliverNotifications',
  'notifications',
  'ledger',
  'chargeSummary',
] as const satisfies readonly (keyof AdyenStubControl)[];

/** @internal The control API of a stub in this process. */
export function inProcessControl(ctx: StubContext, faults: StubFaults): AdyenStubControl {
  return {
    inject: async (fault) => faults.inject(fault),
    setFaultRates: async (rates, seed) => faults.setRates(rates, seed),
    clearFaults: async () => faults.clear(),
    storePaymentMethod: async ({ shopperReference, holderName }) => {
      if (typeof shopperReference !== 'string' || shopperReference.length < 3) throw new RangeError('shopperReference must have at least 3 characters');
      if (typeof holderName !== 'string' || holderName === '') throw new RangeError('holderName must be a non-empty string');
      const id = newPspReference();
      ctx.ledger.insertStoredMethod({ id, shopperReference, holderName });
      return id;
    },
    resolvePayment: async (pspReference, resultCode) => {
      ctx.ledger.transaction(() => resolvePayment(ctx, pspReference, resultCode));
      ctx.notifier.kick();
    },
    deliverNotifications: () => ctx.notifier.deliverAll(),
    notifications: async () => ctx.ledger.notifications(),
    ledger: async () => ({ payments: ctx.ledger.payments(), refunds: ctx.ledger.refunds() }),
    chargeSummary: async (merchantReference) => {
      const authorised = ctx.ledger.payments(merchantReference).filter((payment) => payment.resultCode === 'Authorised');
      return { charges: authorised.length, refundedMinor: authorised.reduce((sum, payment) => sum + ctx.ledger.refundedOn(payment.pspReference), 0) };
    },
  };
}

/**
 * The control API of a stub running as its own process, over `POST {url}/__stub/control`
 * (authenticated with the stub's API key).
 */
export class AdyenStubControlClient implements AdyenStubControl {
  constructor(
    private readonly url: string,
    private readonly apiKey: string,
  ) {}

  inject(fault: AdyenStubFault): Promise<void> {
    return this.call('inject', [fault]);
  }
  setFaultRates(rates: AdyenStubFaultRates, seed?: number): Promise<void> {
    return this.call('setFaultRates', seed === undefined ? [rates] : [rates, seed]);
  }
  clearFaults(): Promise<void> {
    return this.call('clearFaults', []);
  }
  storePaymentMethod(input: { readonly shopperReference: string; readonly holderName: string }): Promise<string> {
    return this.call('storePaymentMethod', [input]);
  }
  resolvePayment(pspReference: string, resultCode: 'Authorised' | 'Refused'): Promise<void> {
    return this.call('resolvePayment', [pspReference, resultCode]);
  }
  deliverNotifications(): Promise<readonly StubDelivery[]> {
    return this.call('deliverNotifications', []);
  }
  notifications(): Promise<readonly StubNotificationRecord[]> {
    return this.call('notifications', []);
  }
  ledger(): Promise<AdyenStubLedgerView> {
    return this.call('ledger', []);
  }
  chargeSummary(merchantReference: string): Promise<{ readonly charges: number; readonly refundedMinor: number }> {
    return this.call('chargeSummary', [merchantReference]);
  }

  private async call<T>(method: (typeof STUB_CONTROL_METHODS)[number], args: readonly unknown[]): Promise<T> {
    const response = await fetch(`${this.url}/__stub/control`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': this.apiKey },
      body: JSON.stringify({ method, args }),
    });
    const answer = (await response.json()) as { result?: T; error?: string };
    if (!response.ok) throw new Error(`Adyen stub control ${method} failed: ${answer.error ?? `HTTP ${response.status}`}`);
    return answer.result as T;
  }
}

/** @internal Runs one remote control call against `control`. */
export async function dispatchControl(control: AdyenStubControl, request: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const call = typeof request === 'object' && request !== null ? (request as { method?: unknown; args?: unknown }) : {};
  const method = STUB_CONTROL_METHODS.find((name) => name === call.method);
  if (method === undefined || !Array.isArray(call.args)) return { status: 400, body: { error: `unknown control call; methods: ${STUB_CONTROL_METHODS.join(', ')}` } };
  try {
    const fn = control[method] as (...args: unknown[]) => Promise<unknown>;
    const result = await fn.apply(control, call.args as unknown[]);
    return { status: 200, body: result === undefined ? {} : { result } };
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}
