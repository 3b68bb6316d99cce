import { AegisPayError } from '@aegispay/domain';

/**
 * The command line was wrong: an unknown command or option, a missing or malformed value
 * (`CLI.USAGE`). The dispatcher prints the message with a pointer to `--help` and exits with 2.
 */
export class UsageError extends AegisPayError {
  constructor(
    message: string,
    /** The command whose usage was wrong, `null` for the top level. */
    readonly command: string | null = null,
  ) {
    super('CLI.USAGE', message, { details: { command } });
  }
}
