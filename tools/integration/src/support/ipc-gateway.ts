import type { ChildProcess } from 'node:child_process';
import {
  GatewayTransportError,
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

/** The answer to a {@link GatewayCallMessage}: a result, or the error the served gateway threw. */
export interface GatewayReplyMessage {
  readonly kind: 'gateway-reply';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
  /** For a `GatewayTransportError` of the served gateway: what it said; absent for any other error. */
  readonly mayHaveBeenSent?: boolean;
}

/** One end of an IPC channel: `process` in a child, the `ChildProcess` in its parent, or an in-memory end for tests. */
export interface IpcEndpoint {
  send?(message: GatewayCallMessage | GatewayReplyMessage): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  /** False once the channel is closed; undefined when it cannot tell. */
  readonly connected?: boolean;
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

/** This process's channel to its parent. */
function processChannel(): IpcEndpoint {
  return {
    ...(process.send === undefined ? {} : { send: (message: GatewayCallMessage | GatewayReplyMessage) => process.send?.(message) }),
    on: (_event: 'message', listener: (message: unknown) => void) => process.on('message', listener),
    get connected() {
      return process.connected;
    },
  };
}

/**
 * A gateway in another process, reached over the IPC channel: what the process under test sees
 * instead of a network. An abort rejects the local call at once with the signal's reason, like a
 * dropped connection; the remote gateway goes on, exactly as a real one would. A transport error of
 * the remote gateway arrives as a `GatewayTransportError` saying what it said; any other error it
 * threw as one that may have been sent; a call the channel cannot carry as one that was not.
 */
export class IpcGateway implements PaymentGateway {
  private static nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(
    readonly name: GatewayType,
    private readonly channel: IpcEndpoint = processChannel(),
  ) {
    channel.on('message', (raw) => {
      const message = raw as GatewayReplyMessage | undefined;
      if (message?.kind !== 'gateway-reply') return;
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error === undefined) waiter.resolve(reviveMoney(message.result));
      else waiter.reject(new GatewayTransportError(message.error, { gateway: this.name, mayHaveBeenSent: message.mayHaveBeenSent ?? true }, 'IPC.REMOTE_ERROR'));
    });
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
      if (this.channel.send === undefined || this.channel.connected === false) {
        reject(new GatewayTransportError(`${this.name}: the IPC channel is closed; nothing was sent.`, { gateway: this.name, mayHaveBeenSent: false }, 'IPC.CLOSED'));
        return;
      }
      this.pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        this.pending.delete(id);
        reject(signal.reason);
      }, { once: true });
      const message: GatewayCallMessage = { kind: 'gateway-call', id, gateway: this.name, operation, argument: JSON.parse(JSON.stringify(argument)) };
      this.channel.send(message);
    });
  }
}

/**
 * Serves {@link IpcGateway} calls from `child` with `gateways`. Returns a function resolving once
 * every call received so far has completed (the gateways keep working after the caller dies).
 */
export function serveGateways(child: ChildProcess | IpcEndpoint, gateways: readonly PaymentGateway[]): () => Promise<void> {
  const byName = new Map(gateways.map((gateway) => [gateway.name, gateway]));
  const inFlight = new Set<Promise<void>>();
  child.on('message', (raw: unknown) => {
    const message = raw as GatewayCallMessage | undefined;
    if (message?.kind !== 'gateway-call') return;
    const gateway = byName.get(message.gateway);
    const work = (async () => {
      let reply: GatewayReplyMessage;
      try {
        if (gateway === undefined) {
          throw new GatewayTransportError(`no gateway ${message.gateway} is served here`, { gateway: message.gateway, mayHaveBeenSent: false }, 'IPC.NO_SUCH_GATEWAY');
        }
        const result = await forward(gateway, message.operation, message.argument);
        reply = { kind: 'gateway-reply', id: message.id, result: JSON.parse(JSON.stringify(result)) };
      } catch (error) {
        const mayHaveBeenSent = GatewayTransportError.is(error) ? { mayHaveBeenSent: error.mayHaveBeenSent } : {};
        reply = { kind: 'gateway-reply', id: message.id, error: error instanceof Error ? error.message : String(error), ...mayHaveBeenSent };
      }
      if (child.connected !== false) child.send?.(reply);
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
