import { GatewayTransportError } from '../ports/gateway-transport.error';
import type { GatewayType } from '../ports/gateway-type';
import type {
  ChargeRequest,
  ChargeResult,
  ChargeStatusQuery,
  ChargeStatusResult,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  RefundStatusQuery,
  RefundStatusResult,
} from '../ports/payment-gateway.port';
import type { PaymentGatewayContractSubject } from './payment-gateway.contract-subject';

/** Options of {@link FaultInjectingGateway}. */
export interface FaultInjectingGatewayOptions {
  /**
   * How faults reach the caller. `RESULT`: as values — a refused call answers `TECHNICAL_FAILURE`
   * (a lookup `UNKNOWN`), a lost answer `UNKNOWN`. `THROW`: as {@link GatewayTransportError}s —
   * `mayHaveBeenSent: false` for a refused call, `true` for a lost answer. Defaults to `RESULT`.
   */
  readonly mode?: 'RESULT' | 'THROW';
}

type Fault = 'FAIL' | 'LOSE';

/**
 * Gives a gateway without fault injection of its own (a simulation, a test double, a wrapper's
 * inner gateway) the two faults of a {@link PaymentGatewayContractSubject}: every call passes to
 * `inner` unchanged, except the one after `faults.failNextCall()`, which is refused before reaching
 * `inner` (nothing happens there), and the one after `faults.loseNextAnswer()`, which `inner`
 * carries out to the end before its answer is dropped. A fault applies to the next call of any of
 * the four kinds, once.
 *
 * Place it where the adapter under test meets its gateway: outside a gateway that is its own
 * backend (simulated acquirers, test doubles), inside a wrapper (chaos, IPC) so that the wrapper
 * must pass what it receives on honestly.
 */
export class FaultInjectingGateway implements PaymentGateway {
  readonly name: GatewayType;
  /** The faults to hand a contract subject. */
  readonly faults: PaymentGatewayContractSubject['faults'];
  private readonly mode: 'RESULT' | 'THROW';
  private next: Fault | null = null;

  constructor(
    readonly inner: PaymentGateway,
    options: FaultInjectingGatewayOptions = {},
  ) {
    this.name = inner.name;
    this.mode = options.mode ?? 'RESULT';
    this.faults = {
      failNextCall: () => {
        this.next = 'FAIL';
      },
      loseNextAnswer: () => {
        this.next = 'LOSE';
      },
    };
  }

  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    return this.run(() => this.inner.charge(request, signal), {
      failed: { outcome: 'TECHNICAL_FAILURE', errorCode: 'INJECTED_FAILURE', retryable: true, message: 'Injected: refused before reaching the gateway.' },
      lost: { outcome: 'UNKNOWN', reason: 'Injected: the answer was lost after the gateway acted.' },
    });
  }

  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    return this.run(() => this.inner.refund(request, signal), {
      failed: { outcome: 'TECHNICAL_FAILURE', errorCode: 'INJECTED_FAILURE', retryable: true, message: 'Injected: refused before reaching the gateway.' },
      lost: { outcome: 'UNKNOWN', reason: 'Injected: the answer was lost after the gateway acted.' },
    });
  }

  getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    return this.run(() => this.inner.getStatus(query, signal), {
      failed: { status: 'UNKNOWN', reason: 'Injected: the lookup was refused.' },
      lost: { status: 'UNKNOWN', reason: 'Injected: the answer to the lookup was lost.' },
    });
  }

  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.run(() => this.inner.getRefundStatus(query, signal), {
      failed: { status: 'UNKNOWN', reason: 'Injected: the lookup was refused.' },
      lost: { status: 'UNKNOWN', reason: 'Injected: the answer to the lookup was lost.' },
    });
  }

  private async run<R>(call: () => Promise<R>, answers: { readonly failed: R; readonly lost: R }): Promise<R> {
    const fault = this.next;
    this.next = null;
    if (fault === null) return call();
    if (fault === 'LOSE') await call().catch(() => undefined);
    if (this.mode === 'RESULT') return fault === 'FAIL' ? answers.failed : answers.lost;
    const sent = fault === 'LOSE';
    throw new GatewayTransportError(
      sent ? `${this.name}: injected: the answer was lost after the gateway acted.` : `${this.name}: injected: refused before reaching the gateway.`,
      { gateway: this.name, mayHaveBeenSent: sent },
      'TEST.INJECTED_FAULT',
    );
  }
}
