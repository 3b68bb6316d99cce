import { DuplicateEntityError, EntityNotFoundError, ValidationError, type Payment } from '@aegispay/domain';
import { aPendingPayment, testPaymentDependencies } from '@aegispay/domain/testing';
import { paymentCodec } from './entity-codec';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work';
import { InMemoryVersionedRepository } from './in-memory-versioned.repository';

interface Account {
  readonly id: string;
  readonly version: number;
  readonly status: string;
  readonly tags: string[];
}

describe(InMemoryVersionedRepository, () => {
  let repository: InMemoryVersionedRepository<Account>;

  beforeEach(() => {
    repository = new InMemoryVersionedRepository<Account>();
  });

  describe('.insert', () => {
    it('should store version 1 whatever version the entity carries', async () => {
      const stored = await repository.insert({ id: 'a', version: 7, status: 'PENDING', tags: [] });

      expect(stored.version).toBe(1);
      expect((await repository.findById('a'))?.version).toBe(1);
    });

    it('should throw DuplicateEntityError for an id that exists', async () => {
      await repository.insert({ id: 'a', version: 0, status: 'PENDING', tags: [] });

      await expect(repository.insert({ id: 'a', version: 0, status: 'X', tags: [] })).rejects.toBeInstanceOf(DuplicateEntityError);
    });
  });

  describe('.findById', () => {
    it('should hand out copies, so changing one never changes what is stored', async () => {
      await repository.insert({ id: 'a', version: 0, status: 'PENDING', tags: ['x'] });

      const copy = (await repository.findById('a')) as Account;
      copy.tags.push('mutated');

      expect((await repository.findById('a'))?.tags).toEqual(['x']);
    });
  });

  describe('.updateWithVersion', () => {
    it('should return the spec result on success and on conflict', async () => {
      await repository.insert({ id: 'a', version: 0, status: 'PENDING', tags: [] });

      const won = await repository.updateWithVersion('a', { id: 'a', version: 1, status: 'PROCESSING', tags: [] }, 1);
      const lost = await repository.updateWithVersion('a', { id: 'a', version: 1, status: 'CANCELLED', tags: [] }, 1);

      expect(won).toEqual({ success: true, entity: { id: 'a', version: 2, status: 'PROCESSING', tags: [] }, previousVersion: 1, newVersion: 2, conflictDetected: false });
      expect(lost).toEqual({ success: false, entity: null, previousVersion: 1, newVersion: 1, conflictDetected: true });
    });

    it('should throw EntityNotFoundError for an unknown id, and refuse an entity with another id', async () => {
      await repository.insert({ id: 'a', version: 0, status: 'PENDING', tags: [] });

      await expect(repository.updateWithVersion('b', { id: 'b', version: 1, status: 'X', tags: [] }, 1)).rejects.toBeInstanceOf(EntityNotFoundError);
      await expect(repository.updateWithVersion('a', { id: 'b', version: 1, status: 'X', tags: [] }, 1)).rejects.toBeInstanceOf(ValidationError);
    });

    describe('inside a unit of work that rolls back', () => {
      it('should restore the previous version', async () => {
        await repository.insert({ id: 'a', version: 0, status: 'PENDING', tags: [] });

        await expect(
          new InMemoryUnitOfWork().run(async () => {
            await repository.updateWithVersion('a', { id: 'a', version: 1, status: 'PROCESSING', tags: [] }, 1);
            await repository.insert({ id: 'b', version: 0, status: 'PENDING', tags: [] });
            throw new Error('rollback');
          }),
        ).rejects.toThrow('rollback');

        expect(await repository.findById('a')).toEqual({ id: 'a', version: 1, status: 'PENDING', tags: [] });
        expect(await repository.findById('b')).toBeNull();
      });
    });
  });

  describe('with paymentCodec', () => {
    it('should store Payment aggregates and hand out independent copies', async () => {
      const payments = new InMemoryVersionedRepository<Payment>({ codec: paymentCodec(), entityName: 'Payment' });
      const stored = await payments.insert(aPendingPayment({}, testPaymentDependencies()));

      const copy = (await payments.findById(stored.id)) as Payment;
      copy.startProcessing();

      expect((await payments.findById(stored.id))?.status).toBe('PENDING');
      expect(payments.size).toBe(1);
      expect(payments.findAll().map((p) => p.id)).toEqual([stored.id]);
    });
  });
});
