import type { Clock, Payment } from '@aegispay/domain';
import type { HookContext } from '@aegispay/hooks';

/** What a use case carries through one call: the request id for hooks and logs, the caller's signal, extra facts for hooks. */
export interface CallSession {
  readonly requestId: string;
  readonly signal: AbortSignal | undefined;
  readonly context: Readonly<Record<string, unknown>> | undefined;
}

/** The context hooks receive for `payment` in `session`: the payment's metadata with the session's facts merged over it. */
export function hookContextOf(payment: Payment, session: CallSession, clock: Clock): HookContext {
  return {
    payment,
    timestamp: new Date(clock.now()),
    requestId: session.requestId,
    metadata: session.context === undefined ? payment.metadata : { ...payment.metadata, ...session.context },
  };
}
