import type { Clock, PaymentGateway } from '@aegispay/domain';
import type { PaymentGatewayContractSubject } from '@aegispay/domain/testing';
import type { ChaosOperation } from '../chaos-error-type';
import { ChaosGateway } from '../chaos.gateway';

const EVERY_OPERATION: readonly ChaosOperation[] = ['charge', 'refund', 'getStatus', 'getRefundStatus'];

/**
 * The two faults of a gateway contract subject, injected by `ChaosGateway` itself, one call at a
 * time, around `inner`:
 * - `failNextCall`: the next call gets an injected 503 before the real gateway is called
 *   (`TECHNICAL_FAILURE` `CHAOS_SERVICE_UNAVAILABLE`; a lookup `UNKNOWN`) — nothing happens there;
 * - `loseNextAnswer`: the next call times out `AFTER` the real call (which runs to its end), thrown
 *   as a `ChaosTimeoutError` after `timeoutMs` (1 000 ms by default) of `clock`.
 *
 * So the gateway contract checks that chaos's injections are honest: what says "not sent" moved
 * nothing, and a lost answer is resolvable at the real gateway.
 */
export function withChaosFaults(
  inner: PaymentGateway,
  clock: Clock,
  timeoutMs = 1_000,
): { readonly gateway: ChaosGateway; readonly faults: PaymentGatewayContractSubject['faults'] } {
  const losing = new ChaosGateway(
    inner,
    { enabled: false, timeoutRate: 1, timeoutPhase: 'AFTER', timeoutMs, operations: EVERY_OPERATION, failureMode: 'THROW', seed: 1 },
    { clock },
  );
  const failing = new ChaosGateway(
    losing,
    { enabled: false, failureRate: 1, errorTypes: ['SERVICE_UNAVAILABLE'], operations: EVERY_OPERATION, failureMode: 'RESULT', seed: 2 },
    { clock },
  );
  // Injections are decided as a call starts: switching chaos off at the first one leaves exactly one call hit.
  const once = (chaos: ChaosGateway) => (): void => {
    chaos.enable();
    const stop = chaos.onInjection(() => {
      chaos.disable();
      stop();
    });
  };
  return { gateway: failing, faults: { failNextCall: once(failing), loseNextAnswer: once(losing) } };
}
