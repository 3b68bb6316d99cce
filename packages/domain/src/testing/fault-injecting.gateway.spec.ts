import { Money } from '../money/money';
import { GatewayTransportError } from '../ports/gateway-transport.error';
import type { ChargeRequest, ChargeResult, PaymentGateway } from '../ports/payment-gateway.port';
import { FaultInjectingGateway } from './fault-injecting.gateway';

/** A gateway that approves and counts the calls it received. */
function countingGateway(): PaymentGateway & { received: string[] } {
  const received: string[] = [];
  return {
    name: 'INNER',
    received,
    charge: async (request) => {
      received.push(`charge ${request.reference}`);
      return { outcome: 'APPROVED', gatewayReference: 'ch_1' };
    },
    refund: async (request) => {
      received.push(`refund ${request.reference}`);
      return { outcome: 'REFUNDED', gatewayReference: 're_1' };
    },
    getStatus: async (query) => {
      received.push(`getStatus ${query.reference}`);
      return { status: 'APPROVED', gatewayReference: 'ch_1', amount: Money.of(100, 'EUR') };
    },
    getRefundStatus: async (query) => {
      received.push(`getRefundStatus ${query.reference}`);
      return { status: 'REFUNDED', gatewayReference: 're_1', amount: Money.of(100, 'EUR') };
    },
  };
}

const request: ChargeRequest = {
  reference: 'pay_1:1',
  paymentId: 'pay_1',
  merchantId: 'merchant_1',
  amount: Money.of(100, 'EUR'),
  paymentMethod: { type: 'CARD', token: 'tok_1' },
};

describe(FaultInjectingGateway, () => {
  describe('when no fault is armed', () => {
    it('should pass every call through unchanged', async () => {
      const inner = countingGateway();
      const gateway = new FaultInjectingGateway(inner);

      await expect(gateway.charge(request)).resolves.toEqual({ outcome: 'APPROVED', gatewayReference: 'ch_1' });
      await expect(gateway.getRefundStatus({ reference: 'refund_1' })).resolves.toMatchObject({ status: 'REFUNDED' });
      expect(gateway.name).toBe('INNER');
      expect(inner.received).toEqual(['charge pay_1:1', 'getRefundStatus refund_1']);
    });
  });

  describe('.faults.failNextCall', () => {
    it('should refuse the next call before it reaches the gateway, once', async () => {
      const inner = countingGateway();
      const gateway = new FaultInjectingGateway(inner);
      gateway.faults.failNextCall();

      const failed: ChargeResult = await gateway.charge(request);

      expect(failed).toMatchObject({ outcome: 'TECHNICAL_FAILURE', retryable: true });
      expect(inner.received).toEqual([]);
      await expect(gateway.charge(request)).resolves.toMatchObject({ outcome: 'APPROVED' });
    });

    it('should throw a transport error that was not sent in THROW mode', async () => {
      const gateway = new FaultInjectingGateway(countingGateway(), { mode: 'THROW' });
      gateway.faults.failNextCall();

      await expect(gateway.getStatus({ reference: 'pay_1:1' })).rejects.toMatchObject({ name: 'GatewayTransportError', mayHaveBeenSent: false });
    });
  });

  describe('.faults.loseNextAnswer', () => {
    it('should let the gateway act, then answer UNKNOWN', async () => {
      const inner = countingGateway();
      const gateway = new FaultInjectingGateway(inner);
      gateway.faults.loseNextAnswer();

      await expect(gateway.refund({ reference: 'refund_1', chargeReference: 'ch_1', paymentId: 'pay_1', amount: Money.of(100, 'EUR') })).resolves.toMatchObject({ outcome: 'UNKNOWN' });
      expect(inner.received).toEqual(['refund refund_1']);
    });

    it('should throw a transport error that may have been sent in THROW mode', async () => {
      const inner = countingGateway();
      const gateway = new FaultInjectingGateway(inner, { mode: 'THROW' });
      gateway.faults.loseNextAnswer();

      const error: unknown = await gateway.charge(request).catch((thrown: unknown) => thrown);

      expect(GatewayTransportError.is(error) && error.mayHaveBeenSent).toBe(true);
      expect(inner.received).toEqual(['charge pay_1:1']);
    });
  });
});
