import type { ChildProcess } from 'node:child_process';
import {
  Money,
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatusQuery,
  type ChargeStatusResult,
  type GatewayType,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
  type RefundStatusQuery,
  type RefundStatusResult,
} from '@aegispay/domain';

/** A gateway call sent over IPC. */
export interface GatewayCallMessage {
  readonly kind: 'gateway-call';
  readonly id: number;
  readonly gateway: GatewayType;
  readonly operation: 'charge' | 'refund' | 'getStatus' | 'getRefundStatus';
  readonly argument: unknown;
}

/** The answer to a {@link GatewayCallMessage}. */
export interface GatewayReplyMessage {
  readonly kind: 'gateway-reply';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** Rebuilds the Money fields (`amount`, `fee`) JSON flattened to `{ amount, currency }`. */
export function reviveMoney<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of ['amount', 'fee']) {
    const money = copy[field] as { amount?: unknown; currency?: unknown } | undefined;
    if (typeof money === 'object' && money !== null && typeof money.amount === 'number' && typeof money.currency === 'string') {
      copy[field] = Money.of(money.amount, money.currency);
    }
  }
  return copy as T;
}

/**
 * A gateway in another process, reached over the IPC channel: what the process under test sees
 * instead of a network. An abort rejects the local call at once, like a dropped connection; the
 * remote gateway goes on, exactly as a real one would.
 */
export class IpcGateway implements PaymentGateway {
  private static nextId = 1;
  private static readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private static listening = false;

  constructor(readonly name: GatewayType) {
    if (!IpcGateway.listening) {
      IpcGateway.listening = true;
      process.on('message', (message: GatewayReplyMessage) => {
        if (message?.kind !== 'gateway-reply') return;
        const waiter = IpcGateway.pending.get(message.id);
        if (waiter === undefined) return;
        IpcGateway.pending.delete(message.id);
        if (message.error !== undefined) waiter.reject(new Error(message.error));
        else waiter.resolve(reviveMoney(message.result));
      });
    }
  }

  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeResult> {
    return this.call('charge', request, signal) as Promise<ChargeResult>;
  }

  refund(request: RefundRequest, signal?: AbortSignal): Promise<RefundResult> {
    return this.call('refund', request, signal) as Promise<RefundResult>;
  }

  getStatus(query: ChargeStatusQuery, signal?: AbortSignal): Promise<ChargeStatusResult> {
    return this.call('getStatus', query, signal) as Promise<ChargeStatusResult>;
  }

  getRefundStatus(query: RefundStatusQuery, signal?: AbortSignal): Promise<RefundStatusResult> {
    return this.call('getRefundStatus', query, signal) as Promise<RefundStatusResult>;
  }

  private call(operation: GatewayCallMessage['operation'], argument: unknown, signal?: AbortSignal): Promise<unknown> {
    const id = IpcGateway.nextId++;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      IpcGateway.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        IpcGateway.pending.delete(id);
        reject(signal.reason);
      }, { once: true });
      const message: GatewayCallMessage = { kind: 'gateway-call', id, gateway: this.name, operation, argument: JSON.parse(JSON.stringify(argument)) };
      process.send?.(message);
    });
  }
}

/**
 * Serves {@link IpcGateway} calls from `child` with `gateways`. Returns a function resolving once
 * every call received so far has completed (the gateways keep working after the caller dies).
 */
export function serveGateways(child: ChildProcess, gateways: readonly PaymentGateway[]): () => Promise<void> {
  const byName = new Map(gateways.map((gateway) => [gateway.name, gateway]));
  const inFlight = new Set<Promise<void>>();
  child.on('message', (message: GatewayCallMessage) => {
    if (message?.kind !== 'gateway-call') return;
    const gateway = byName.get(message.gateway);
    const work = (async () => {
      let reply: GatewayReplyMessage;
      try {
        if (gateway === undefined) throw new Error(`no gateway ${message.gateway}`);
        const result = await forward(gateway, message.operation, message.argument);
        reply = { kind: 'gateway-reply', id: message.id, result: JSON.parse(JSON.stringify(result)) };
      } catch (error) {
        reply = { kind: 'gateway-reply', id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      if (child.connected) child.send(reply);
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });
  return async () => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };
}

/** Calls `operation` on `gateway` with an argument that crossed the IPC channel (Money fields rebuilt). */
function forward(gateway: PaymentGateway, operation: GatewayCallMessage['operation'], argument: unknown): Promise<unknown> {
  switch (operation) {
    case 'charge':
      return gateway.charge(reviveMoney(argument as ChargeRequest));
    case 'refund':
      return gateway.refund(reviveMoney(argument as RefundRequest));
    case 'getStatus': {
      const query = argument as ChargeStatusQuery;
      return gateway.getStatus(query.request === undefined ? query : { ...query, request: reviveMoney(query.request) });
    }
    case 'getRefundStatus': {
      const query = argument as RefundStatusQuery;
      return gateway.getRefundStatus(query.request === undefined ? query : { ...query, request: reviveMoney(query.request) });
    }
  }
}
