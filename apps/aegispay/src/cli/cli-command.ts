/** One `aegispay <command>` of the command line. */
export interface CliCommand {
  /** The word after `aegispay`. */
  readonly name: string;
  /** One line for `aegispay --help`. */
  readonly summary: string;
  /** The full text of `aegispay <command> --help`. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name and resolves to the process exit code
   * (0 success, 1 failure such as a broken invariant, 2 bad usage or configuration).
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Where a command writes: the process streams in production, buffers in tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}
