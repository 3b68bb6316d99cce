import { Writable } from 'node:stream';
import type { CliIo } from '../cli-command';

/** A `CliIo` writing into strings, for tests. */
export interface BufferIo extends CliIo {
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
}

/** A stream that appends what is written to it to a string, synchronously. */
function capture(): { readonly stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** Buffers for stdout and stderr (stdout is not a TTY unless `tty`), and the given environment. */
export function bufferIo(env: Readonly<Record<string, string | undefined>> = {}, tty = false): BufferIo {
  const stdout = capture();
  const stderr = capture();
  return { stdout: Object.assign(stdout.stream, { isTTY: tty }), stderr: stderr.stream, env, out: stdout.text, err: stderr.text };
}
