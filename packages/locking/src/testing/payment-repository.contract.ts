/// <reference types="jest" />
import { DEFAULT_VIRTUAL_EPOCH, EntityNotFoundError, type OutboxMessage, Payment, type PaymentDependencies } from '@aegispay/domain';
import { aPaidPayment, aPaymentRequest, aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import fc from 'fast-check';
import type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';

const PROPERTY_RUNS = 20;

/**
 * The contract of `PaymentRepository` (and of `VersionedRepository<Payment>`): compare-and-swap
 * updates with the spec's `UpdateResult`, exact round trips, unique idempotency keys, status
 * queries, and the events written to the outbox with the payment and only then.
 */
export function paymentRepositoryContract(name: string, createFixture: PersistenceFixtureFactory): void {
  describe(`PaymentRepository contract: ${name}`, () => {
    let fixture: PersistenceFixture;
    let deps: ReturnType<typeof testPaymentDependencies>;

    beforeEach(async () => {
      fixture = await createFixture();
      deps = testPaymentDependencies();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('.insert', () => {
      it('should store a new payment at version 1 and return the stored copy', async () => {
        const payment = aPendingPayment({}, deps);

        const stored = await fixture.repository.insert(payment);

        expect(stored.version).toBe(1);
        expect(stored).not.toBe(payment);
        expect(stored.toSnapshot()).toEqual({ ...payment.toSnapshot(), version: 1 });
      });

      it('should move the payment events to the outbox', async () => {
        const payment = aPendingPayment({}, deps);
        const created = payment.peekEvents();

        await fixture.repository.insert(payment);

        expect(payment.peekEvents()).toEqual([]);
        const messages = await claimAll(fixture);
        expect(messages.map((m) => m.event)).toEqual(created);
      });

      describe('when the id already exists', () => {
        it('should throw DuplicateEntityError and write nothing more', async () => {
          const payment = aPendingPayment({}, deps);
          await fixture.repository.insert(payment);
          const twin = Payment.rehydrate(payment.toSnapshot(), deps);

          await expect(fixture.repository.insert(twin)).rejects.toMatchObject({ name: 'DuplicateEntityError', code: 'REPOSITORY.DUPLICATE' });
          expect(await fixture.outbox.countUnpublished()).toBe(1);
        });
      });

      describe('when the merchant already used the idempotency key', () => {
        it('should throw DuplicateEntityError', async () => {
          await fixture.repository.insert(aPendingPayment({ idempotencyKey: 'order-1' }, deps));

          await expect(fixture.repository.insert(aPendingPayment({ idempotencyKey: 'order-1' }, deps))).rejects.toMatchObject({ name: 'DuplicateEntityError', code: 'REPOSITORY.DUPLICATE' });
        });

        it('should accept the same key from another merchant', async () => {
          await fixture.repository.insert(aPendingPayment({ idempotencyKey: 'order-1' }, deps));

          const other = await fixture.repository.insert(aPendingPayment({ idempotencyKey: 'order-1', merchantId: 'merchant_2' }, deps));

          expect(other.version).toBe(1);
        });
      });
    });

    describe('.findById', () => {
      it('should return null for an unknown id', async () => {
        expect(await fixture.repository.findById('pay_unknown')).toBeNull();
      });

      it('should read a payment back exactly as written, attempts and refunds included', async () => {
        const payment = await fixture.repository.insert(aPendingPayment({ idempotencyKey: 'k-1', description: 'Ünïcødé — 注文 🧾' }, deps));
        payment.startProcessing();
        payment.recordAttempt({ gateway: 'ADYEN', reference: `${payment.id}:1`, outcome: 'TECHNICAL_FAILURE', latencyMs: 30, errorCode: 'HTTP_503' });
        payment.recordAttempt({ gateway: 'STRIPE', reference: `${payment.id}:2`, outcome: 'APPROVED', latencyMs: 120.5, gatewayReference: 'ch_9' });
        payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: 'ch_9' });
        const paid = await mustUpdate(fixture, payment);
        paid.refund({ amount: 100, idempotencyKey: 'refund-1', gatewayReference: 're_gw_1', reason: 'damaged' });
        paid.refund({ amount: 250 });
        const refunded = await mustUpdate(fixture, paid);

        const found = await fixture.repository.findById(payment.id);

        expect(found?.toSnapshot()).toEqual(refunded.toSnapshot());
        expect(found?.toSnapshot()).toEqual({ ...paid.toSnapshot(), version: 3 });
        expect(found?.refundableAmount.amount).toBe(15_000 - 350);
      });

      it('should round-trip any valid payment request (property)', async () => {
        await fc.assert(
          fc.asyncProperty(paymentInputs(), async (input) => {
            const payment = Payment.create(input, deps);
            await fixture.repository.insert(payment);

            const found = await fixture.repository.findById(payment.id);

            expect(found?.toSnapshot()).toEqual({ ...payment.toSnapshot(), version: 1 });
          }),
          { numRuns: PROPERTY_RUNS },
        );
      });
    });

    describe('.updateWithVersion', () => {
      describe('when the stored version is the expected one', () => {
        it('should write, increment the version and return the spec result', async () => {
          const stored = await fixture.repository.insert(aPendingPayment({}, deps));
          stored.startProcessing();

          const result = await fixture.repository.updateWithVersion(stored.id, stored, 1);

          expect(result).toEqual({ success: true, entity: expect.any(Payment), previousVersion: 1, newVersion: 2, conflictDetected: false });
          expect(result.entity?.toSnapshot()).toEqual({ ...stored.toSnapshot(), version: 2 });
          expect((await fixture.repository.findById(stored.id))?.status).toBe('PROCESSING');
        });

        it('should write the events to the outbox after the earlier ones', async () => {
          const stored = await fixture.repository.insert(aPendingPayment({}, deps));
          stored.startProcessing();
          stored.requireAction('3ds');

          await fixture.repository.updateWithVersion(stored.id, stored, 1);

          const types = (await claimAll(fixture)).map((m) => m.event.type);
          expect(types).toEqual(['PaymentCreated', 'PaymentProcessingStarted', 'PaymentActionRequired']);
        });
      });

      describe('when another writer changed the payment first', () => {
        it('should report a conflict, write nothing and keep the events on the payment', async () => {
          const stored = await fixture.repository.insert(aPendingPayment({}, deps));
          const first = (await fixture.repository.findById(stored.id)) as Payment;
          const second = (await fixture.repository.findById(stored.id)) as Payment;
          first.startProcessing();
          second.cancel('customer left');
          await mustUpdate(fixture, first);

          const result = await fixture.repository.updateWithVersion(second.id, second, 1);

          expect(result).toEqual({ success: false, entity: null, previousVersion: 1, newVersion: 1, conflictDetected: true });
          expect((await fixture.repository.findById(stored.id))?.status).toBe('PROCESSING');
          expect(second.peekEvents().map((e) => e.type)).toEqual(['PaymentCancelled']);
          expect((await claimAll(fixture)).map((m) => m.event.type)).toEqual(['PaymentCreated', 'PaymentProcessingStarted']);
        });
      });

      describe('when the expected version is not a version', () => {
        it.each([Number.NaN, 1.5, -1])('should refuse %p with a ValidationError, not report a conflict', async (expectedVersion) => {
          const stored = await fixture.repository.insert(aPendingPayment({}, deps));
          stored.startProcessing();

          await expect(fixture.repository.updateWithVersion(stored.id, stored, expectedVersion)).rejects.toMatchObject({
            code: 'REPOSITORY.INVALID_VERSION',
            field: 'expectedVersion',
          });
          expect((await fixture.repository.findById(stored.id))?.status).toBe('PENDING');
          expect(stored.peekEvents().map((e) => e.type)).toEqual(['PaymentProcessingStarted']);
        });
      });

      describe('when the payment does not exist', () => {
        it('should throw PaymentNotFoundError, not report a conflict', async () => {
          const ghost = aPendingPayment({}, deps);

          const failure = fixture.repository.updateWithVersion(ghost.id, ghost, 1);

          await expect(failure).rejects.toMatchObject({ name: 'PaymentNotFoundError', code: 'PAYMENT.NOT_FOUND' });
          await expect(failure).rejects.toBeInstanceOf(EntityNotFoundError);
        });
      });

      describe('when many writers race from one version', () => {
        it('should let exactly one win', async () => {
          const stored = await fixture.repository.insert(aPaidPayment({}, deps));
          const copies = await Promise.all(Array.from({ length: 8 }, () => fixture.repository.findById(stored.id)));

          const results = await Promise.all(
            copies.map((copy) => {
              const payment = copy as Payment;
              payment.refund({ amount: 1 });
              return fixture.repository.updateWithVersion(payment.id, payment, 1);
            }),
          );

          expect(results.filter((r) => r.success)).toHaveLength(1);
          expect(results.filter((r) => r.conflictDetected)).toHaveLength(7);
          expect((await fixture.repository.findById(stored.id))?.refunds).toHaveLength(1);
        });
      });
    });

    describe('.findByIdempotencyKey', () => {
      it('should find the payment of this merchant and key only', async () => {
        const payment = await fixture.repository.insert(aPendingPayment({ idempotencyKey: 'order-7' }, deps));

        expect((await fixture.repository.findByIdempotencyKey('merchant_1', 'order-7'))?.id).toBe(payment.id);
        expect(await fixture.repository.findByIdempotencyKey('merchant_2', 'order-7')).toBeNull();
        expect(await fixture.repository.findByIdempotencyKey('merchant_1', 'order-8')).toBeNull();
      });
    });

    describe('.findByStatus', () => {
      it('should return payments in the status, oldest update first, limited and filtered by age', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i += 1) {
          ids.push((await fixture.repository.insert(aPendingPayment({}, deps))).id);
          await deps.clock.advance(1_000);
        }
        const processing = (await fixture.repository.findById(ids[1] as string)) as Payment;
        processing.startProcessing();
        await mustUpdate(fixture, processing);
        const start = DEFAULT_VIRTUAL_EPOCH;

        const pending = await fixture.repository.findByStatus('PENDING');
        const limited = await fixture.repository.findByStatus('PENDING', { limit: 2 });
        const old = await fixture.repository.findByStatus('PENDING', { updatedBefore: start + 2_500 });

        expect(pending.map((p) => p.id)).toEqual([ids[0], ids[2], ids[3]]);
        expect(limited.map((p) => p.id)).toEqual([ids[0], ids[2]]);
        expect(old.map((p) => p.id)).toEqual([ids[0], ids[2]]);
        expect((await fixture.repository.findByStatus('PROCESSING')).map((p) => p.id)).toEqual([ids[1]]);
      });

      it('should treat a fractional updatedBefore as the instant it is', async () => {
        const payment = await fixture.repository.insert(aPendingPayment({}, deps));
        const updatedAt = payment.updatedAt.getTime();

        expect((await fixture.repository.findByStatus('PENDING', { updatedBefore: updatedAt + 0.5 })).map((p) => p.id)).toEqual([payment.id]);
        expect(await fixture.repository.findByStatus('PENDING', { updatedBefore: updatedAt - 0.5 })).toEqual([]);
        expect(await fixture.repository.findByStatus('PENDING', { limit: 0 })).toEqual([]);
      });

      describe('when the options are malformed', () => {
        it.each([
          [{ limit: -1 }, 'limit'],
          [{ limit: 2.5 }, 'limit'],
          [{ limit: Number.NaN }, 'limit'],
          [{ updatedBefore: Number.NaN }, 'updatedBefore'],
          [{ updatedBefore: Number.POSITIVE_INFINITY }, 'updatedBefore'],
        ])('should refuse %p with a ValidationError naming %s', async (options, field) => {
          await expect(fixture.repository.findByStatus('PENDING', options)).rejects.toMatchObject({ code: 'REPOSITORY.INVALID_QUERY', field });
        });
      });
    });
  });
}

async function mustUpdate(fixture: PersistenceFixture, payment: Payment): Promise<Payment> {
  const result = await fixture.repository.updateWithVersion(payment.id, payment, payment.version);
  if (!result.success || result.entity === null) throw new Error(`unexpected conflict on ${payment.id}`);
  return result.entity;
}

async function claimAll(fixture: PersistenceFixture): Promise<readonly OutboxMessage[]> {
  const now = fixture.clock.now();
  const messages = await fixture.outbox.claim({ owner: 'contract', limit: 1_000, now, leaseUntil: now + 60_000 });
  await fixture.outbox.release('contract', messages.map((m) => m.sequence));
  return messages;
}

const METADATA_KEY = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
// PostgreSQL text cannot hold U+0000; JSON keeps -0 as 0. Neither is a meaningful payment datum.
const TEXT = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !s.includes('\u0000'));
const METADATA_VALUE = fc.oneof(
  TEXT,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
  fc.boolean(),
);

function paymentInputs(): fc.Arbitrary<Parameters<typeof Payment.create>[0]> {
  return fc
    .record({
      amount: fc.integer({ min: 1, max: 2 ** 40 }),
      currency: fc.constantFrom('EUR', 'JPY', 'KWD', 'USD', 'INR'),
      type: fc.constantFrom('CARD', 'UPI', 'WALLET', 'BANK_TRANSFER' as const),
      description: fc.option(TEXT, { nil: undefined }),
      idempotencyKey: fc.option(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), { nil: undefined }),
      metadata: fc.dictionary(METADATA_KEY, METADATA_VALUE, { maxKeys: 6 }),
    })
    .map(({ amount, currency, type, description, idempotencyKey, metadata }) =>
      aPaymentRequest({
        amount,
        currency,
        paymentMethod: { type, token: 'tok_prop' },
        metadata,
        ...(description === undefined ? {} : { description }),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey: `${idempotencyKey}#${(uniqueKeys += 1)}` }),
      }),
    )
    .filter((input) => {
      try {
        Payment.create(input, quietDeps);
        return true;
      } catch {
        return false;
      }
    });
}

const quietDeps: PaymentDependencies = testPaymentDependencies();
let uniqueKeys = 0;
