/** Options every built-in check takes. */
export interface BuiltInCheckOptions {
  /** Defaults to the class name; give another to register two instances. */
  readonly name?: string;
  /** Defaults to the class's own (100 high value, 90 geographic, 80 velocity). */
  readonly priority?: number;
}
