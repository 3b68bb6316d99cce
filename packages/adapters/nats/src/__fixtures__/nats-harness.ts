import { findNatsServer } from '../testing';

export { readStoredEvents as readStream } from '../testing';


const binary = findNatsServer();
if (binary === undefined) {
  process.stderr.write('NATS JetStream suites skipped: nats-server was not found (set NATS_SERVER_BIN or install nats-server).\n');
}

/** `describe` when a nats-server binary is available, else `describe.skip` (with one line saying why). */
export const describeWithNats = binary === undefined ? describe.skip : describe;

/**
 * Resolves once `condition` holds, checking every `everyMs`; rejects with `what` after `timeoutMs`.
 * A wait for a condition with a deadline, never a sleep that correctness depends on.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, { timeoutMs = 20_000, everyMs = 10 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
