/// <reference types="jest" />
import type { PersistenceFixture, PersistenceFixtureFactory } from './persistence-fixture';

const DAY_MS = 86_400_000;

/**
 * The contract of `IdempotencyStore`: an atomic `begin` (exactly one of concurrent callers owns a
 * key), fingerprint checks, stored responses, expiry (24 h by default) and per-merchant keys.
 */
export function idempotencyStoreContract(name: string, createFixture: PersistenceFixtureFactory): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let fixture: PersistenceFixture;

    beforeEach(async () => {
      fixture = await createFixture();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describe('.begin', () => {
      describe('when the key is new', () => {
        it('should start', async () => {
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'STARTED' });
        });
      });

      describe('when the key is in progress', () => {
        it('should say IN_PROGRESS for the same fingerprint', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');

          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'IN_PROGRESS' });
        });

        it('should throw IdempotencyKeyReuseError for another fingerprint', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');

          await expect(fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).rejects.toMatchObject({ name: 'IdempotencyKeyReuseError', code: 'IDEMPOTENCY.KEY_REUSED' });
        });
      });

      describe('when the key was completed', () => {
        it('should replay the stored response', async () => {
          const response = { paymentId: 'pay_1', status: 'PAID', amounts: [1, 2.5], nested: { ok: true, none: null } };
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');
          await fixture.idempotency.complete('merchant_1', 'key-1', response);

          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'COMPLETED', response });
        });

        it('should still reject another fingerprint', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');
          await fixture.idempotency.complete('merchant_1', 'key-1', 'done');

          await expect(fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).rejects.toMatchObject({ name: 'IdempotencyKeyReuseError', code: 'IDEMPOTENCY.KEY_REUSED' });
        });
      });

      describe('when the key was released', () => {
        it('should start again', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');
          await fixture.idempotency.release('merchant_1', 'key-1');

          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).toEqual({ status: 'STARTED' });
        });
      });

      describe('when the key expired', () => {
        it('should keep it for 24 hours by default, then let a new request start', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');
          await fixture.idempotency.complete('merchant_1', 'key-1', 'done');

          await fixture.clock.advance(DAY_MS - 1);
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'COMPLETED', response: 'done' });
          await fixture.clock.advance(1);
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).toEqual({ status: 'STARTED' });
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).toEqual({ status: 'IN_PROGRESS' });
        });

        it('should refuse a ttlMs of 0 or less, which could never be completed', async () => {
          await expect(fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a', { ttlMs: 0 })).rejects.toMatchObject({ name: 'InvalidOptionError', field: 'ttlMs' });
          await expect(fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a', { ttlMs: -5 })).rejects.toMatchObject({ name: 'InvalidOptionError', field: 'ttlMs' });
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'STARTED' });
        });

        it('should honour ttlMs', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a', { ttlMs: 1_000 });

          await fixture.clock.advance(1_000);

          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'STARTED' });
        });
      });

      describe('when the request holding the key never finishes (its process died)', () => {
        it('should keep the key in progress until it expires by default', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');

          await fixture.clock.advance(DAY_MS - 1);

          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'IN_PROGRESS' });
        });

        describe('with inProgressLeaseMs', () => {
          const LEASE_MS = 60_000;

          it('should let one retry with the same fingerprint take the key over once the lease is up, and that owner complete it', async () => {
            const store = fixture.createIdempotencyStore({ inProgressLeaseMs: LEASE_MS });
            await store.begin('merchant_1', 'key-1', 'fp-a');

            await fixture.clock.advance(LEASE_MS - 1);
            expect(await store.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'IN_PROGRESS' });
            await fixture.clock.advance(1);
            const racing = await Promise.all(Array.from({ length: 8 }, () => store.begin('merchant_1', 'key-1', 'fp-a')));

            expect(racing.filter((r) => r.status === 'STARTED')).toHaveLength(1);
            expect(racing.filter((r) => r.status === 'IN_PROGRESS')).toHaveLength(7);
            await fixture.clock.advance(LEASE_MS - 1);
            expect(await store.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'IN_PROGRESS' });
            await store.complete('merchant_1', 'key-1', { paymentId: 'pay_2' });
            expect(await store.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'COMPLETED', response: { paymentId: 'pay_2' } });
          });

          it('should never hand a stale key to another fingerprint, nor take over a completed one', async () => {
            const store = fixture.createIdempotencyStore({ inProgressLeaseMs: LEASE_MS });
            await store.begin('merchant_1', 'key-1', 'fp-a');
            await store.begin('merchant_1', 'key-2', 'fp-a');
            await store.complete('merchant_1', 'key-2', 'done');

            await fixture.clock.advance(LEASE_MS);

            await expect(store.begin('merchant_1', 'key-1', 'fp-b')).rejects.toMatchObject({ name: 'IdempotencyKeyReuseError', code: 'IDEMPOTENCY.KEY_REUSED' });
            expect(await store.begin('merchant_1', 'key-2', 'fp-a')).toEqual({ status: 'COMPLETED', response: 'done' });
          });

          it('should refuse a lease that is not above 0', () => {
            expect(() => fixture.createIdempotencyStore({ inProgressLeaseMs: 0 })).toThrow(expect.objectContaining({ field: 'inProgressLeaseMs' }) as Error);
          });
        });
      });

      describe('when another merchant uses the same key', () => {
        it('should keep the two apart', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');

          expect(await fixture.idempotency.begin('merchant_2', 'key-1', 'fp-b')).toEqual({ status: 'STARTED' });
        });
      });

      describe('when many requests with one key arrive at once', () => {
        it('should let exactly one start', async () => {
          const results = await Promise.all(Array.from({ length: 12 }, () => fixture.idempotency.begin('merchant_1', 'race', 'fp-a')));

          expect(results.filter((r) => r.status === 'STARTED')).toHaveLength(1);
          expect(results.filter((r) => r.status === 'IN_PROGRESS')).toHaveLength(11);
        });
      });
    });

    describe('.peek', () => {
      it('should say what begin would answer, without claiming the key', async () => {
        expect(await fixture.idempotency.peek('merchant_1', 'key-1', 'fp-a')).toBeNull();
        expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'STARTED' });

        expect(await fixture.idempotency.peek('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'IN_PROGRESS' });
        await fixture.idempotency.complete('merchant_1', 'key-1', { answer: [1, 'two', null] });
        expect(await fixture.idempotency.peek('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'COMPLETED', response: { answer: [1, 'two', null] } });
      });

      it('should leave a free key free', async () => {
        await fixture.idempotency.peek('merchant_1', 'key-1', 'fp-a');

        expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-b')).toEqual({ status: 'STARTED' });
      });

      it('should refuse another fingerprint, like begin', async () => {
        await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');

        await expect(fixture.idempotency.peek('merchant_1', 'key-1', 'fp-b')).rejects.toMatchObject({ name: 'IdempotencyKeyReuseError', code: 'IDEMPOTENCY.KEY_REUSED' });
      });

      it('should see an expired key as free', async () => {
        await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a', { ttlMs: 1_000 });
        await fixture.clock.advance(1_000);

        expect(await fixture.idempotency.peek('merchant_1', 'key-1', 'fp-b')).toBeNull();
      });
    });

    describe('.complete', () => {
      describe('when the key is not in progress', () => {
        it('should throw IdempotencyKeyNotInProgressError', async () => {
          await expect(fixture.idempotency.complete('merchant_1', 'never', 'x')).rejects.toMatchObject({ name: 'IdempotencyKeyNotInProgressError', code: 'IDEMPOTENCY.NOT_IN_PROGRESS' });
          await fixture.idempotency.begin('merchant_1', 'once', 'fp');
          await fixture.idempotency.complete('merchant_1', 'once', 'x');
          await expect(fixture.idempotency.complete('merchant_1', 'once', 'y')).rejects.toMatchObject({ name: 'IdempotencyKeyNotInProgressError', code: 'IDEMPOTENCY.NOT_IN_PROGRESS' });
        });
      });
    });

    describe('.purgeExpired', () => {
      it('should delete expired keys, oldest expiry first and at most limit, and keep the others as they were', async () => {
        await fixture.idempotency.begin('merchant_1', 'first', 'fp', { ttlMs: 1_000 });
        await fixture.idempotency.begin('merchant_2', 'second', 'fp', { ttlMs: 2_000 });
        await fixture.idempotency.complete('merchant_2', 'second', { paid: true });
        await fixture.idempotency.begin('merchant_1', 'living', 'fp', { ttlMs: 10_000 });
        await fixture.idempotency.complete('merchant_1', 'living', { paid: true });
        await fixture.clock.advance(2_000);

        expect(await fixture.idempotency.purgeExpired(1)).toBe(1);
        expect(await fixture.idempotency.purgeExpired(0)).toBe(0);
        expect(await fixture.idempotency.purgeExpired(100)).toBe(1);
        expect(await fixture.idempotency.purgeExpired(100)).toBe(0);

        expect(await fixture.idempotency.begin('merchant_1', 'living', 'fp')).toEqual({ status: 'COMPLETED', response: { paid: true } });
        expect(await fixture.idempotency.begin('merchant_1', 'first', 'another body')).toEqual({ status: 'STARTED' });
        expect(await fixture.idempotency.begin('merchant_2', 'second', 'another body')).toEqual({ status: 'STARTED' });
      });

      it('should keep a key claimed again after it expired', async () => {
        await fixture.idempotency.begin('merchant_1', 'key-1', 'fp', { ttlMs: 1_000 });
        await fixture.clock.advance(1_000);
        await fixture.idempotency.begin('merchant_1', 'key-1', 'fp', { ttlMs: 1_000 });

        expect(await fixture.idempotency.purgeExpired(100)).toBe(0);
        expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp')).toEqual({ status: 'IN_PROGRESS' });
      });
    });

    describe('.release', () => {
      describe('when the key was completed', () => {
        it('should refuse and keep the response', async () => {
          await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a');
          await fixture.idempotency.complete('merchant_1', 'key-1', 42);

          await expect(fixture.idempotency.release('merchant_1', 'key-1')).rejects.toMatchObject({ name: 'IdempotencyKeyNotInProgressError', code: 'IDEMPOTENCY.NOT_IN_PROGRESS' });
          expect(await fixture.idempotency.begin('merchant_1', 'key-1', 'fp-a')).toEqual({ status: 'COMPLETED', response: 42 });
        });
      });
    });
  });
}
