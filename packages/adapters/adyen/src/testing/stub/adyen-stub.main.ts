#!/usr/bin/env node
// Runs the Adyen stub as its own process. See the package README ("The Adyen stub as a process").
//
//   node --conditions=@aegispay/source --import tsx packages/adapters/adyen/src/testing/stub/adyen-stub.main.ts \
//     --database ./data/adyen-stub.sqlite [--port 8090] [--notification-url http://127.0.0.1:3000/v1/psp-webhooks/adyen]
//
// Prints one JSON line when ready ({"url", "apiKey", "merchantAccount", "hmacKey", "pid"}); stops on SIGTERM or SIGINT.
import { parseArgs } from 'node:util';
import { startAdyenStub } from './adyen-stub';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'merchant-account': { type: 'string' },
      'hmac-key': { type: 'string' },
      'notification-url': { type: 'string' },
      delivery: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const env = process.env;
  const databaseFile = values.database ?? env['ADYEN_STUB_DATABASE'];
  if (databaseFile === undefined) throw new Error('--database (or ADYEN_STUB_DATABASE) is required: the SQLite file of the stub ledger');
  const port = values.port ?? env['ADYEN_STUB_PORT'];
  const apiKey = values['api-key'] ?? env['ADYEN_STUB_API_KEY'];
  const merchantAccount = values['merchant-account'] ?? env['ADYEN_STUB_MERCHANT_ACCOUNT'];
  const hmacKey = values['hmac-key'] ?? env['ADYEN_STUB_HMAC_KEY'];
  const notificationUrl = values['notification-url'] ?? env['ADYEN_STUB_NOTIFICATION_URL'];
  const delivery = values.delivery ?? env['ADYEN_STUB_DELIVERY'];
  if (delivery !== undefined && delivery !== 'auto' && delivery !== 'manual') throw new Error('--delivery must be auto or manual');
  const stub = await startAdyenStub({
    databaseFile,
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(merchantAccount === undefined ? {} : { merchantAccount }),
    ...(hmacKey === undefined ? {} : { hmacKey }),
    ...(notificationUrl === undefined ? {} : { notificationUrl }),
    ...(delivery === undefined ? {} : { notificationDelivery: delivery }),
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
  });
  const stop = (): void => {
    void stub.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: stub.url, apiKey: stub.apiKey, merchantAccount: stub.merchantAccount, hmacKey: stub.hmacKey, pid: process.pid })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`adyen stub: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
