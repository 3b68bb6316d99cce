import { DuplicateEntityError, EntityNotFoundError, ValidationError, type UpdateResult, type Versioned, type VersionedRepository } from '@aegispay/domain';
import { plainObjectCodec, type EntityCodec } from './entity-codec';
import { recordUndo } from './in-memory-transaction';

/** Options of {@link InMemoryVersionedRepository}. */
export interface InMemoryVersionedRepositoryOptions<T extends Versioned> {
  /** How entities are copied in and out. Defaults to {@link plainObjectCodec} (plain data objects). */
  readonly codec?: EntityCodec<T>;
  /** Name used in errors (`Payment pay_1 does not exist.`). Defaults to `'Entity'`. */
  readonly entityName?: string;
  /** The error thrown when an update targets an id that does not exist. Defaults to `EntityNotFoundError`. */
  readonly notFound?: (id: string) => Error;
}

/**
 * A {@link VersionedRepository} in memory: `updateWithVersion` is a compare-and-swap on the stored
 * version, done synchronously so that no other write can slip in between the check and the write.
 * `new InMemoryVersionedRepository<VersionedPayment>()` stores plain objects; pass
 * `{ codec: paymentCodec() }` for the `Payment` aggregate (or use `InMemoryPaymentRepository`).
 *
 * Writes made inside an `InMemoryUnitOfWork` are undone when it rolls back.
 */
export class InMemoryVersionedRepository<T extends Versioned> implements VersionedRepository<T> {
  private readonly entities = new Map<string, T>();
  private readonly codec: EntityCodec<T>;
  private readonly entityName: string;
  private readonly notFound: (id: string) => Error;

  constructor(options: InMemoryVersionedRepositoryOptions<T> = {}) {
    this.codec = options.codec ?? plainObjectCodec<T>();
    this.entityName = options.entityName ?? 'Entity';
    this.notFound = options.notFound ?? ((id) => new EntityNotFoundError(this.entityName, id));
  }

  /** Number of stored entities. */
  get size(): number {
    return this.entities.size;
  }

  async findById(id: string): Promise<T | null> {
    const stored = this.entities.get(id);
    return stored === undefined ? null : this.codec.withVersion(stored, stored.version);
  }

  /** Stores `entity` at version 1, whatever version it carries (a new entity has none yet). */
  async insert(entity: T): Promise<T> {
    return this.insertNow(entity);
  }

  /** @throws ValidationError `REPOSITORY.ID_MISMATCH`, `REPOSITORY.INVALID_VERSION` (not a whole number ≥ 0); the `notFound` error. */
  async updateWithVersion(id: string, entity: T, expectedVersion: number): Promise<UpdateResult<T>> {
    return this.updateNow(id, entity, expectedVersion);
  }

  /** Copies of every stored entity, in insertion order. */
  findAll(): T[] {
    return [...this.entities.values()].map((stored) => this.codec.withVersion(stored, stored.version));
  }

  /** @internal Synchronous insert, for repositories that add work to the same atomic step. */
  insertNow(entity: T): T {
    if (this.entities.has(entity.id)) throw new DuplicateEntityError(this.entityName, entity.id);
    this.entities.set(entity.id, this.codec.withVersion(entity, 1));
    recordUndo(() => this.entities.delete(entity.id));
    return this.codec.withVersion(entity, 1);
  }

  /** @internal Synchronous compare-and-swap, for repositories that add work to the same atomic step. */
  updateNow(id: string, entity: T, expectedVersion: number): UpdateResult<T> {
    if (entity.id !== id) {
      throw new ValidationError('REPOSITORY.ID_MISMATCH', 'id', `updateWithVersion was asked to write entity ${entity.id} under id ${id}.`);
    }
    // Not a conflict: no stored version can ever match it, so retrying would only spin.
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new ValidationError('REPOSITORY.INVALID_VERSION', 'expectedVersion', `expectedVersion must be a whole number ≥ 0, got ${String(expectedVersion)}.`);
    }
    const stored = this.entities.get(id);
    if (stored === undefined) throw this.notFound(id);
    if (stored.version !== expectedVersion) {
      return { success: false, entity: null, previousVersion: expectedVersion, newVersion: expectedVersion, conflictDetected: true };
    }
    const newVersion = expectedVersion + 1;
    this.entities.set(id, this.codec.withVersion(entity, newVersion));
    recordUndo(() => this.entities.set(id, stored));
    return {
      success: true,
      entity: this.codec.withVersion(entity, newVersion),
      previousVersion: expectedVersion,
      newVersion,
      conflictDetected: false,
    };
  }

  /** @internal The stored copy itself (never hand it out). */
  peek(id: string): T | undefined {
    return this.entities.get(id);
  }

  /** @internal Stored copies themselves (never hand them out). */
  storedValues(): IterableIterator<T> {
    return this.entities.values();
  }
}
