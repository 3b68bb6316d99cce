import type { ChargeResult, ChargeStatusResult, PaymentGateway } from '@aegispay/domain';
import type { Test } from 'supertest';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

/** Charges for real but loses every answer, and keeps saying PENDING until `recovered`. */
class LostAnswerGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly state: { recovered: boolean },
  ) {}

  get name(): PaymentGateway['name'] {
    return this.inner.name;
  }

  async charge(...args: Parameters<PaymentGateway['charge']>): Promise<ChargeResult> {
    await this.inner.charge(...args);
    return { outcome: 'UNKNOWN', reason: 'the answer was lost' };
  }

  refund(...args: Parameters<PaymentGateway['refund']>): ReturnType<PaymentGateway['refund']> {
    return this.inner.refund(...args);
  }

  async getStatus(...args: Parameters<PaymentGateway['getStatus']>): Promise<ChargeStatusResult> {
    return this.state.recovered ? this.inner.getStatus(...args) : { status: 'PENDING' };
  }
}

describe.each(testDialects('HTTP API payment recovery'))('a payment whose outcome is unknown, on %s', (dialect) => {
  let api: ApiHarness;
  const state = { recovered: false };

  beforeAll(async () => {
    api = await startApi(dialect, { wrapGateways: (gateways) => gateways.map((gateway) => new LostAnswerGateway(gateway, state)), startLoops: false });
  });
  afterAll(async () => {
    await api.stop();
  });

  const post = (): Test => api.http().post('/v1/payments').set('Authorization', `Bearer ${MERCHANT_A.key}`).set('Idempotency-Key', 'lost-answer-1').send(aPaymentBody());

  describe('POST /v1/payments', () => {
    it('should answer 202 PENDING_RECOVERY, 409 to a retry meanwhile, and the recovered answer once recovery has run', async () => {
      let settled = false;
      const first = post().then((response) => {
        settled = true;
        return response;
      });
      // The orchestrator asks the gateway for the status a few times, 500 ms apart on the fake clock.
      while (!settled) {
        await api.clock.advance(500);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const pending = await first;
      const meanwhile = await post();

      state.recovered = true;
      await api.clock.advance(api.app.config.recovery.stuckAfterMs + 1);
      const report = await api.app.get(TOKENS.PaymentRecovery).recoverOnce();
      const after = await post();

      const pendingBody = pending.body as PaymentResponseBody;
      expect(pending.status).toBe(202);
      expect(pendingBody).toMatchObject({ outcome: 'PENDING_RECOVERY', payment: { status: 'PROCESSING' } });
      expect(pending.headers['location']).toBe(`/v1/payments/${pendingBody.payment.id}`);
      expect(meanwhile.status).toBe(409);
      expect(meanwhile.body).toMatchObject({ code: 'IDEMPOTENCY.REQUEST_IN_PROGRESS' });
      expect(report.paid).toEqual([pendingBody.payment.id]);
      expect(after.status).toBe(201);
      expect(after.headers['idempotent-replayed']).toBe('true');
      expect(after.body).toMatchObject({ outcome: 'SUCCEEDED', payment: { id: pendingBody.payment.id, status: 'PAID' } });
      expect(api.charges()).toBe(1);
    });
  });
});
