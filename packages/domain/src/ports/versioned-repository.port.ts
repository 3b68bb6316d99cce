/** An entity with an identity and an optimistic-locking version. */
export interface Versioned {
  readonly id: string;
  /** Incremented by the repository on every successful versioned write; never by the entity itself. */
  readonly version: number;
}

/**
 * Outcome of a compare-and-swap write, exactly as the spec defines it.
 *
 * - success: `{ success: true, entity: <stored>, previousVersion: v, newVersion: v + 1, conflictDetected: false }`
 * - conflict (the stored version is not the expected one):
 *   `{ success: false, entity: null, previousVersion: v, newVersion: v, conflictDetected: true }`
 *
 * An entity that does not exist is not a conflict: repositories throw `EntityNotFoundError`.
 */
export interface UpdateResult<T> {
  readonly success: boolean;
  readonly entity: T | null;
  readonly previousVersion: number;
  readonly newVersion: number;
  readonly conflictDetected: boolean;
}

/** A repository whose updates are compare-and-swap on the entity's version. */
export interface VersionedRepository<T extends Versioned> {
  /** The entity, or `null` when there is none with this id. */
  findById(id: string): Promise<T | null>;
  /**
   * Stores a new entity at version 1 and returns the stored copy.
   * @throws DuplicateEntityError when an entity with this id already exists.
   */
  insert(entity: T): Promise<T>;
  /**
   * Writes `entity` only if the stored version still equals `expectedVersion`, incrementing the
   * version by one. One atomic compare-and-swap: no read-then-write.
   * @throws EntityNotFoundError when no entity has this id.
   */
  updateWithVersion(id: string, entity: T, expectedVersion: number): Promise<UpdateResult<T>>;
}
