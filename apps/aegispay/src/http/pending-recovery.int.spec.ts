import type { ChargeResult, ChargeStatusResult, PaymentGateway } from '@aegispay/domain';
import type { Test } from 'supertest';
import { TOKENS } from '../composition/tokens';
import { aPaymentBody, MERCHANT_A, startApi, testDialects, type ApiHarness } from './__fixtures__/api-harness';
import type { PaymentResponseBody } from './payment.view';

/** What the test and its gateways share: whether the answer is recoverable yet, and a hook on every status check. */
interface LostAnswerState {
  recovered: boolean;
  onStatusCheck: () => void;
}

/** Charges for real but loses every answer, and keeps saying PENDING until `recovered`. */
class LostAnswerGateway implements PaymentGateway {
  constructor(
    private readonly inner: PaymentGateway,
    private readonly state: LostAnswerState,
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
    this.state.onStatusCheck();
    return this.state.recovered ? this.inner.getStatus(...args) : { status: 'PENDING' };
  }

  getRefundStatus(...args: Parameters<PaymentGateway['getRefundStatus']>): ReturnType<PaymentGateway['getRefundStatus']> {
    return this.inner.getRefundStatus(...args);
  }
}

describe.each(testDialects('HTTP API payment recovery'))('a payment whose outcome is unknown, on %s', (dialect) => {
  let api: ApiHarness;
  const state: LostAnswerState = { recovered: false, onStatusCheck: () => undefined };

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
      let statusChecks = 0;
      let checked = (): void => undefined;
      state.onStatusCheck = () => {
        statusChecks += 1;
        checked();
      };
      const first = post().then((response) => {
        settled = true;
        checked();
        return response;
      });
      // The orchestrator asks the gateway for the status a few times, 500 ms apart on the fake
      // clock. Time moves only once a check has been made: advancing it while the request waits
      // on real I/O (PostgreSQL) would run the clock past the key's in-progress lease, and the
      // retry below would take the key over instead of being told it is in progress.
      let seen = 0;
      while (!settled) {
        if (statusChecks === seen) await new Promise<void>((resolve) => (checked = resolve));
        seen = statusChecks;
        if (!settled) await api.clock.advance(500);
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
