#!/usr/bin/env node
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { STRIPE_STUB_DEFAULTS, startStripeStub } from './stripe-stub';

/*
 * The Stripe stub as its own process:
 *
 *   aegispay-stripe-stub --port 12111 --database ./data/stripe-stub.sqlite \
 *     --webhook-url http://127.0.0.1:3000/v1/psp-webhooks/stripe --webhook-secret whsec_…
 *
 * Each option may come from the environment instead (STRIPE_STUB_PORT, STRIPE_STUB_HOST,
 * STRIPE_STUB_DATABASE, STRIPE_STUB_SECRET_KEY, STRIPE_STUB_WEBHOOK_URL, STRIPE_STUB_WEBHOOK_SECRET).
 * Once listening it prints one JSON line ({"url", "port", "database", "pid"}) and, when started with
 * an IPC channel (child_process.fork), sends { kind: 'ready', url, port }. SIGTERM or SIGINT close it.
 * Faults, settlements and the ledger are driven through its control API (`connectStripeStub`).
 */

/** Defaults of the stub process. */
const STRIPE_STUB_PROCESS_DEFAULTS = Object.freeze({ port: 12_111, database: './data/stripe-stub.sqlite' } as const);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      database: { type: 'string' },
      'secret-key': { type: 'string' },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  const port = Number(values.port ?? env['STRIPE_STUB_PORT'] ?? STRIPE_STUB_PROCESS_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be an integer from 0 to 65535, got ${String(values.port ?? env['STRIPE_STUB_PORT'])}`);
  const database = resolve(values.database ?? env['STRIPE_STUB_DATABASE'] ?? STRIPE_STUB_PROCESS_DEFAULTS.database);
  mkdirSync(dirname(database), { recursive: true });
  const webhookUrl = values['webhook-url'] ?? env['STRIPE_STUB_WEBHOOK_URL'];
  const webhookSecret = values['webhook-secret'] ?? env['STRIPE_STUB_WEBHOOK_SECRET'] ?? STRIPE_STUB_DEFAULTS.webhookSecret;
  const stub = await startStripeStub({
    databaseFile: database,
    port,
    host: values.host ?? env['STRIPE_STUB_HOST'] ?? STRIPE_STUB_DEFAULTS.host,
    secretKey: values['secret-key'] ?? env['STRIPE_STUB_SECRET_KEY'] ?? STRIPE_STUB_DEFAULTS.secretKey,
    ...(webhookUrl === undefined ? {} : { webhook: { url: webhookUrl, secret: webhookSecret } }),
  });
  const stop = (): void => {
    void stub.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: stub.url, port: stub.port, database, pid: process.pid })}\n`);
  process.send?.({ kind: 'ready', url: stub.url, port: stub.port });
}

main().catch((error: unknown) => {
  process.stderr.write(`stripe stub: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
