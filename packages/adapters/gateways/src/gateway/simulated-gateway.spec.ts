import { AegisPayError, GatewayTransportError, Money, type ChargeResult } from '@aegispay/domain';
import { FakeClock, SeededRandom, SequentialIdGenerator } from '@aegispay/domain/testing';
import { observe, settle } from '../__fixtures__/settle';
import { InvalidGatewayRequestError, ReferenceReusedError } from '../errors/gateway.errors';
import { DEFAULT_DECLINE_MIX } from '../simulation/decline-codes';
import { aChargeRequest, createTestGateway } from '../testing';
import { SimulatedGateway } from './simulated-gateway';
import type { SimulatedGatewayOptions } from './simulated-gateway.options';

/** Constant 100 ms: the request arrives at 15 ms, the decision is written at 85 ms, the answer is back at 100 ms. */
const STEADY_100 = { medianMs: 100, p95Ms: 100 } as const;

function countOutcomes(results: readonly ChargeResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = result.outcome === 'DECLINED' ? `DECLINED_${result.declineType}` : result.outcome;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe(SimulatedGateway, () => {
  describe('constructor', () => {
    describe.each<[string, Partial<SimulatedGatewayOptions>, string]>([
      ['an approval rate above 1', { approvalRate: 1.2 }, 'approvalRate'],
      ['a negative approval rate', { approvalRate: -0.1 }, 'approvalRate'],
      ['a technical failure rate that is not a number', { technicalFailureRate: Number.NaN }, 'technicalFailureRate'],
      ['a negative latency', { latency: { medianMs: -10, p95Ms: 100 } }, 'latency.medianMs'],
      ['shares that add up to more than 1', { latency: { ...STEADY_100, requestShare: 0.6, responseShare: 0.5 } }, 'latency.responseShare'],
      ['an unknown currency in the fee table', { fees: { currencies: { ABC: { percentage: 1 } } } }, 'fees.currencies.ABC'],
      ['a decline with an unknown type', { declineMix: [{ code: 'x', declineType: 'MEDIUM' as 'HARD', weight: 1 }] }, 'declineMix[0].declineType'],
      ['an empty decline mix', { declineMix: [] }, 'declineMix'],
      ['a technical failure without retryable', { technicalFailureMix: [{ errorCode: 'E', weight: 1 } as never] }, 'technicalFailureMix[0].retryable'],
      ['a clock without setTimer', { clock: { now: () => 0, sleep: () => Promise.resolve() } as never }, 'clock'],
      ['an empty name', { name: '' }, 'name'],
    ])('when given %s', (_case, options, field) => {
      it(`should throw an InvalidOptionError naming ${field}`, () => {
        const create = (): SimulatedGateway => new SimulatedGateway({ name: 'TEST', ...options });
        expect(create).toThrow(expect.objectContaining({ name: 'InvalidOptionError', code: 'GATEWAY.INVALID_OPTION', field }) as Error);
        expect(create).toThrow(`Invalid option ${field}:`);
      });
    });

    describe('when given only a name', () => {
      it('should approve everything at once, free of charge', async () => {
        const gateway = new SimulatedGateway({ name: 'ACME' });
        await expect(gateway.charge(aChargeRequest())).resolves.toEqual({
          outcome: 'APPROVED',
          gatewayReference: expect.stringMatching(/^ch_/) as string,
          fee: Money.of(0, 'EUR'),
        });
        expect(gateway.name).toBe('ACME');
        expect(gateway.getControlState()).toEqual({ availability: 'UP', approvalRate: 1, technicalFailureRate: 0, extraLatencyMs: 0 });
      });
    });
  });

  describe('.charge', () => {
    describe('when approved', () => {
      it('should return the gateway reference and the fee, and record the charge', async () => {
        const { gateway, clock } = createTestGateway({ chargePrefix: 'ch', fees: { currencies: { EUR: { percentage: 1.5, fixed: 25 } } } });
        const result = await gateway.charge(aChargeRequest());

        expect(result).toEqual({ outcome: 'APPROVED', gatewayReference: 'ch_000001', fee: Money.of(250, 'EUR') });
        expect(gateway.getLedger()).toEqual([
          {
            gateway: 'TEST',
            reference: 'pay_1:1',
            paymentId: 'pay_1',
            merchantId: 'merchant_1',
            amount: Money.of(15000, 'EUR'),
            currency: 'EUR',
            outcome: 'APPROVED',
            gatewayReference: 'ch_000001',
            fee: Money.of(250, 'EUR'),
            declineCode: null,
            declineType: null,
            refunds: [],
            refundedAmount: Money.of(0, 'EUR'),
            receivedAt: clock.now(),
            decidedAt: clock.now(),
            requestCount: 1,
          },
        ]);
        expect(Object.isFrozen(result)).toBe(true);
        expect(Object.isFrozen(gateway.getLedger()[0])).toBe(true);
      });
    });

    describe('when the request arrives after its deadline', () => {
      it('should refuse it unrecorded, so that NOT_FOUND stays true, and act on one that arrives in time', async () => {
        const { gateway, clock } = createTestGateway({ latency: STEADY_100 }); // arrives at 15 ms
        const late = gateway.charge(aChargeRequest({ reference: 'pay_1:1', deadline: clock.now() + 10 }));
        const inTime = gateway.charge(aChargeRequest({ reference: 'pay_2:1', paymentId: 'pay_2', deadline: clock.now() + 20 }));
        await clock.advance(100);

        await expect(late).resolves.toMatchObject({ outcome: 'TECHNICAL_FAILURE', errorCode: 'REQUEST_EXPIRED', retryable: true });
        await expect(inTime).resolves.toMatchObject({ outcome: 'APPROVED' });
        const status = gateway.getStatus({ reference: 'pay_1:1' });
        await clock.advance(100);
        await expect(status).resolves.toEqual({ status: 'NOT_FOUND' });
        expect(gateway.getLedger().map((entry) => entry.reference)).toEqual(['pay_2:1']);
        expect(gateway.getCallStats()).toMatchObject({ charges: 2, expired: 1 });
      });
    });

    describe('when declined', () => {
      it('should return the code and its type, and record the decline', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0, declineMix: [{ code: 'insufficient_funds', declineType: 'SOFT', weight: 1, message: 'No money.' }] });

        await expect(gateway.charge(aChargeRequest())).resolves.toEqual({
          outcome: 'DECLINED',
          declineCode: 'insufficient_funds',
          declineType: 'SOFT',
          message: 'No money.',
        });
        expect(gateway.getLedgerEntry('pay_1:1')).toMatchObject({ outcome: 'DECLINED', declineCode: 'insufficient_funds', declineType: 'SOFT', gatewayReference: null, fee: null });
      });
    });

    describe('when the token asks for a decline', () => {
      it('should decline with that code whatever the approval rate', async () => {
        const { gateway } = createTestGateway({ approvalRate: 1 });
        const result = await gateway.charge(aChargeRequest({ paymentMethod: { type: 'CARD', token: 'tok_decline_stolen_card' } }));
        expect(result).toEqual({ outcome: 'DECLINED', declineCode: 'stolen_card', declineType: 'HARD', message: 'The card was reported stolen.' });
      });

      it('should treat an unknown code as an ordinary token', async () => {
        const { gateway } = createTestGateway({ approvalRate: 1 });
        const result = await gateway.charge(aChargeRequest({ paymentMethod: { type: 'CARD', token: 'tok_decline_whatever' } }));
        expect(result.outcome).toBe('APPROVED');
      });
    });

    describe('when the token asks for an approval', () => {
      it('should approve whatever the approval rate', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0 });
        const approved = await gateway.charge(aChargeRequest({ paymentMethod: { type: 'CARD', token: 'tok_approve_visa' } }));
        const ordinary = await gateway.charge(aChargeRequest({ reference: 'pay_2:1', paymentId: 'pay_2', paymentMethod: { type: 'CARD', token: 'tok_visa' } }));

        expect(approved.outcome).toBe('APPROVED');
        expect(ordinary.outcome).toBe('DECLINED');
      });
    });

    describe('when the request fails before processing', () => {
      it('should return a retryable technical failure and record nothing', async () => {
        const { gateway } = createTestGateway({ technicalFailureRate: 1 });
        const result = await gateway.charge(aChargeRequest());

        expect(result).toEqual({ outcome: 'TECHNICAL_FAILURE', errorCode: expect.any(String) as string, retryable: true, message: expect.any(String) as string });
        expect(gateway.getLedger()).toEqual([]);
        expect(gateway.getCallStats()).toMatchObject({ charges: 1, technicalFailures: 1 });
      });

      it('should let a retry with the same reference go through, since no result was stored', async () => {
        const { gateway } = createTestGateway({ technicalFailureRate: 1 });
        await gateway.charge(aChargeRequest());
        gateway.degrade({ technicalFailureRate: 0 });

        await expect(gateway.charge(aChargeRequest())).resolves.toMatchObject({ outcome: 'APPROVED' });
        expect(gateway.getLedger()).toHaveLength(1);
        expect(gateway.getLedgerEntry('pay_1:1')?.requestCount).toBe(1);
      });
    });

    describe('when the request is malformed', () => {
      it.each<[string, Parameters<typeof aChargeRequest>[0], string]>([
        ['an amount of zero', { amount: Money.of(0, 'EUR') }, 'amount'],
        ['an amount that is not Money', { amount: 100 as unknown as Money }, 'amount'],
        ['an empty reference', { reference: '' }, 'reference'],
        ['no payment id', { paymentId: undefined as unknown as string }, 'paymentId'],
        ['no merchant', { merchantId: '' }, 'merchantId'],
        ['no payment method', { paymentMethod: undefined as never }, 'paymentMethod'],
        ['an empty token', { paymentMethod: { type: 'CARD', token: '' } }, 'paymentMethod.token'],
      ])('should reject %s with an InvalidGatewayRequestError naming the field, and record nothing', async (_case, overrides, field) => {
        const { gateway } = createTestGateway();
        const error: unknown = await gateway.charge(aChargeRequest(overrides)).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(InvalidGatewayRequestError);
        expect(InvalidGatewayRequestError.is(error) && error.field).toBe(field);
        expect(AegisPayError.is(error) && error.code).toBe('GATEWAY.INVALID_REQUEST');
        // Nothing was sent: callers may try elsewhere at once, without resolving an unknown outcome.
        expect(GatewayTransportError.is(error) && error.mayHaveBeenSent).toBe(false);
        expect(gateway.getLedger()).toEqual([]);
      });
    });

    describe('when the reference was already charged', () => {
      it('should return the first result and never charge again', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0.5, seed: 1 });
        const first = await gateway.charge(aChargeRequest());
        const replays = await Promise.all([1, 2, 3].map(() => gateway.charge(aChargeRequest())));

        expect(replays).toEqual([first, first, first]);
        expect(gateway.getLedger()).toHaveLength(1);
        expect(gateway.getLedgerEntry('pay_1:1')?.requestCount).toBe(4);
        expect(gateway.getCallStats()).toMatchObject({ charges: 4, replays: 3 });
      });

      it('should return the first decline too, even once the gateway would approve', async () => {
        const { gateway } = createTestGateway({ approvalRate: 0 });
        const first = await gateway.charge(aChargeRequest());
        gateway.degrade({ approvalRate: 1 });

        await expect(gateway.charge(aChargeRequest())).resolves.toEqual(first);
        expect(first.outcome).toBe('DECLINED');
      });

      it('should refuse the reference for a different charge with a ReferenceReusedError, changing nothing', async () => {
        const { gateway } = createTestGateway();
        await gateway.charge(aChargeRequest());
        const error: unknown = await gateway.charge(aChargeRequest({ amount: Money.of(99, 'EUR') })).catch((e: unknown) => e);

        expect(ReferenceReusedError.is(error) && error.fields).toEqual(['amount']);
        expect(AegisPayError.is(error) && error.code).toBe('GATEWAY.REFERENCE_REUSED');
        expect(gateway.getLedger()).toHaveLength(1);
        expect(gateway.getLedgerEntry('pay_1:1')?.amount).toEqual(Money.of(15000, 'EUR'));
      });
    });

    describe('when the same reference arrives while the first is still processing', () => {
      it('should wait for the first decision and answer with it', async () => {
        const { gateway, clock } = createTestGateway({ latency: STEADY_100 });
        const first = observe(gateway.charge(aChargeRequest()));
        await clock.advance(30); // the first is processing (arrived at 15, decides at 85)
        const second = observe(gateway.charge(aChargeRequest()));
        await clock.advance(69);
        expect([first.state, second.state]).toEqual(['pending', 'pending']);
        // The repeat arrived at 45 and heard the first decision at 85, not after its own 70 ms of processing.
        await clock.advance(1);

        expect([first.state, second.state]).toEqual(['fulfilled', 'fulfilled']);
        expect(second.value).toBe(first.value);
        expect(gateway.getLedger()).toHaveLength(1);
        expect(gateway.getLedgerEntry('pay_1:1')?.requestCount).toBe(2);
      });
    });

    describe('when the latency is zero', () => {
      it('should not schedule any timer', async () => {
        const clock = new FakeClock();
        const sleep = jest.spyOn(clock, 'sleep');
        const setTimer = jest.spyOn(clock, 'setTimer');
        const gateway = new SimulatedGateway({ name: 'FAST', clock, random: new SeededRandom(1), approvalRate: 0.8, technicalFailureRate: 0.1 });

        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gateway.charge(aChargeRequest({ reference: `r${i}`, paymentId: `p${i}` }))));
        await gateway.refund({ reference: 'rf', chargeReference: 'none', paymentId: 'p0', amount: Money.of(1, 'EUR') });
        await gateway.getStatus({ reference: 'r0' });

        expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(['APPROVED', 'DECLINED', 'TECHNICAL_FAILURE']));
        expect(sleep).not.toHaveBeenCalled();
        expect(setTimer).not.toHaveBeenCalled();
        expect(clock.pendingTimers()).toBe(0);
      });
    });

    describe('when the latency is constant', () => {
      it('should answer after exactly that latency, the ledger entry PENDING from arrival to decision', async () => {
        const { gateway, clock } = createTestGateway({ latency: STEADY_100 });
        const start = clock.now();
        const charge = observe(gateway.charge(aChargeRequest()));

        await clock.advance(14);
        expect(gateway.getLedger()).toEqual([]);
        await clock.advance(1);
        expect(gateway.getLedgerEntry('pay_1:1')).toMatchObject({ outcome: 'PENDING', receivedAt: start + 15, decidedAt: null });
        await clock.advance(70);
        expect(gateway.getLedgerEntry('pay_1:1')).toMatchObject({ outcome: 'APPROVED', decidedAt: start + 85 });
        await clock.advance(14);
        expect(charge.state).toBe('pending');
        await clock.advance(1);
        expect(charge.state).toBe('fulfilled');
      });
    });

    describe('when the signal aborts', () => {
      const reason = new Error('client timeout');
      const abortAt = async (ms: number): Promise<{ gateway: SimulatedGateway; clock: FakeClock; charge: ReturnType<typeof observe<ChargeResult>> }> => {
        const { gateway, clock } = createTestGateway({ latency: STEADY_100 });
        const controller = new AbortController();
        const charge = observe(gateway.charge(aChargeRequest(), controller.signal));
        await clock.advance(ms);
        controller.abort(reason);
        await clock.advance(0);
        return { gateway, clock, charge };
      };

      describe('before the call', () => {
        it('should reject with the reason at once and charge nothing', async () => {
          const { gateway } = createTestGateway({ latency: STEADY_100 });
          await expect(gateway.charge(aChargeRequest(), AbortSignal.abort(reason))).rejects.toBe(reason);
          expect(gateway.getCallStats().charges).toBe(0);
        });
      });

      describe('before the request arrived', () => {
        it('should reject with the reason, and nothing is ever charged', async () => {
          const { gateway, clock, charge } = await abortAt(10);
          expect(charge.state).toBe('rejected');
          expect(charge.reason).toBe(reason);

          await clock.advance(1_000);
          expect(gateway.getLedger()).toEqual([]);
          await expect(settle(clock, gateway.getStatus({ reference: 'pay_1:1' }))).resolves.toEqual({ status: 'NOT_FOUND' });
        });
      });

      describe('while the charge is processing', () => {
        it('should reject with the reason, and the gateway still decides and records the charge', async () => {
          const { gateway, clock, charge } = await abortAt(50);
          expect(charge.state).toBe('rejected');
          expect(charge.reason).toBe(reason);
          expect(gateway.getLedgerEntry('pay_1:1')?.outcome).toBe('PENDING');

          await clock.advance(35); // t = 85: decided
          expect(gateway.getLedgerEntry('pay_1:1')?.outcome).toBe('APPROVED');
          await expect(settle(clock, gateway.getStatus({ reference: 'pay_1:1' }))).resolves.toMatchObject({ status: 'APPROVED', amount: Money.of(15000, 'EUR') });
        });
      });

      describe('after the ledger entry was written', () => {
        it('should reject with the reason, and the charge stays in place', async () => {
          const { gateway, clock, charge } = await abortAt(90);
          expect(charge.state).toBe('rejected');
          expect(charge.reason).toBe(reason);
          expect(gateway.getLedgerEntry('pay_1:1')?.outcome).toBe('APPROVED');

          // The orchestrator's way out: a retry with the same reference gets the first answer.
          await expect(settle(clock, gateway.charge(aChargeRequest()))).resolves.toMatchObject({ outcome: 'APPROVED' });
          expect(gateway.getLedger()).toHaveLength(1);
        });
      });
    });

    describe('when many charges are made with a seed', () => {
      const run = async (seed: number, n: number): Promise<ChargeResult[]> => {
        const gateway = new SimulatedGateway({
          name: 'RATES',
          random: new SeededRandom(seed),
          ids: new SequentialIdGenerator(),
          approvalRate: 0.9,
          technicalFailureRate: 0.05,
        });
        const results: ChargeResult[] = [];
        for (let i = 0; i < n; i++) results.push(await gateway.charge(aChargeRequest({ reference: `r${i}`, paymentId: `p${i}` })));
        return results;
      };

      it('should show the configured rates (exact counts for this seed)', async () => {
        const n = 20_000;
        const counts = countOutcomes(await run(7, n));
        const declines = (counts['DECLINED_HARD'] ?? 0) + (counts['DECLINED_SOFT'] ?? 0);
        const hardWeight = DEFAULT_DECLINE_MIX.filter((d) => d.declineType === 'HARD').reduce((sum, d) => sum + d.weight, 0);
        const totalWeight = DEFAULT_DECLINE_MIX.reduce((sum, d) => sum + d.weight, 0);

        expect(counts).toEqual({ APPROVED: 17_173, DECLINED_SOFT: 1_390, DECLINED_HARD: 465, TECHNICAL_FAILURE: 972 });
        expect(Math.abs((counts['TECHNICAL_FAILURE'] ?? 0) / n - 0.05)).toBeLessThan(0.005);
        expect(Math.abs((counts['APPROVED'] ?? 0) / (n - (counts['TECHNICAL_FAILURE'] ?? 0)) - 0.9)).toBeLessThan(0.01);
        expect(Math.abs((counts['DECLINED_HARD'] ?? 0) / declines - hardWeight / totalWeight)).toBeLessThan(0.03);
      });

      it('should give the same results for the same seed and different ones for another', async () => {
        const [a, b, c] = await Promise.all([run(11, 300), run(11, 300), run(12, 300)]);
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
      });
    });

    describe('when run on virtual time with latency and a seed', () => {
      it('should replay the same timings, results and ledger', async () => {
        const play = async (): Promise<unknown> => {
          const { gateway, clock } = createTestGateway({ seed: 5, approvalRate: 0.8, technicalFailureRate: 0.1, latency: { medianMs: 150, p95Ms: 400 } });
          const settled: [number, ChargeResult][] = [];
          const calls = Array.from({ length: 40 }, (_, i) =>
            gateway.charge(aChargeRequest({ reference: `r${i}`, paymentId: `p${i}` })).then((result) => settled.push([clock.now(), result])),
          );
          await clock.advance(10_000);
          await Promise.all(calls);
          return { settled, ledger: gateway.getLedger() };
        };
        const first = await play();
        expect(await play()).toEqual(first);
        expect((first as { settled: unknown[] }).settled).toHaveLength(40);
      });
    });
  });
});
