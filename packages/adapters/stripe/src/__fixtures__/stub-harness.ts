import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money, type ChargeRequest, type Clock, type RefundRequest } from '@aegispay/domain';
import { StripeGateway, type StripeGatewayOptions } from '../index';
import { startStripeStub, type StripeStub, type StripeStubOptions } from '../testing';

/** A fresh SQLite file in its own temporary folder, and a way to remove it. */
export function aDatabaseFile(): { file: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'aegispay-stripe-stub-'));
  return { file: join(folder, 'ledger.sqlite'), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** A stub on a fresh ledger file and a gateway pointed at it. */
export interface Harness {
  readonly stub: StripeStub;
  readonly gateway: StripeGateway;
  readonly databaseFile: string;
  /** Another gateway on the same stub (other options). */
  gatewayWith(options: Partial<StripeGatewayOptions>): StripeGateway;
  /** Stops the stub (keeping its file) and starts it again on the same file and port. */
  restartStub(options?: Partial<StripeStubOptions>): Promise<StripeStub>;
  dispose(): Promise<void>;
}

export async function startHarness(options: { stub?: Partial<StripeStubOptions>; gateway?: Partial<StripeGatewayOptions>; clock?: Clock } = {}): Promise<Harness> {
  const database = aDatabaseFile();
  const clockOption = options.clock === undefined ? {} : { clock: options.clock };
  let stub = await startStripeStub({ databaseFile: database.file, ...clockOption, ...options.stub });
  const gateways: StripeGateway[] = [];
  const gatewayWith = (extra: Partial<StripeGatewayOptions>): StripeGateway => {
    const gateway = new StripeGateway({
      secretKey: stub.secretKey,
      api: { host: stub.host, port: stub.port, protocol: 'http' },
      ...clockOption,
      ...options.gateway,
      ...extra,
    });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = gatewayWith({});
  return {
    get stub() {
      return stub;
    },
    gateway,
    databaseFile: database.file,
    gatewayWith,
    restartStub: async (extra = {}) => {
      const port = stub.port;
      await stub.close();
      stub = await startStripeStub({ databaseFile: database.file, port, ...clockOption, ...options.stub, ...extra });
      return stub;
    },
    dispose: async () => {
      for (const each of gateways) each.close();
      await stub.close();
      database.remove();
    },
  };
}

let sequence = 0;

/** A charge of 15.00 EUR with `token` and a reference used nowhere else. */
export function aCharge(token = 'pm_card_visa', overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  sequence += 1;
  const paymentId = `pay_${sequence}`;
  return {
    reference: `${paymentId}:1`,
    paymentId,
    merchantId: 'merchant_42',
    amount: Money.of(1500, 'EUR'),
    paymentMethod: { type: 'CARD', token },
    ...overrides,
  };
}

/** A refund of `minor` EUR cents of the charge `chargeReference`, with a reference used nowhere else. */
export function aRefund(chargeReference: string, minor: number, overrides: Partial<RefundRequest> = {}): RefundRequest {
  sequence += 1;
  return { reference: `refund_${sequence}`, chargeReference, paymentId: 'pay_refunded', amount: Money.of(minor, 'EUR'), ...overrides };
}
