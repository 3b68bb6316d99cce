import type { PaymentEvent, PaymentEventType } from '@aegispay/domain';

import type { HookInvocation } from '../context/hook-context';
import type { Awaitable, HookBase } from './hook';

/** Every event type, for a listener that wants them all (an audit trail). */
export const ALL_EVENTS = '*';

/** Reacts to domain events (notifications, webhooks, audit). */
export interface EventListenerHook extends HookBase {
  /** The event types this listener receives (`PaymentFailed`, `RefundProcessed`, …), or `'*'` for all. Not empty. */
  readonly eventTypes: readonly (PaymentEventType | typeof ALL_EVENTS | (string & {}))[];
  execute(event: PaymentEvent, context: HookInvocation): Awaitable<void>;
}
