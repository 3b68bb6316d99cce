import { inspect } from 'node:util';

const REDACTED = '[secret]';

/**
 * A secret setting (a PSP's API key, a webhook signing secret). Its value comes out only through
 * {@link Secret.reveal}, where a connector is built; printed, logged, serialised to JSON or
 * inspected, it is `[secret]` — so a configuration dump or a log line cannot leak it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: hand it to the client that needs it, never to a log. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
