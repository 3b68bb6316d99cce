import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A forwarding address for a PSP stub's webhooks, started before the server it forwards to (the
 * stub needs its webhook URL when it starts; the server needs the stub's URL when it starts). Each
 * delivery is sent on with its exact bytes and its signature header, and the server's status is
 * the stub's answer, so the stub retries what the server refuses, as the PSP would.
 */
export interface WebhookRelay {
  readonly url: string;
  /** Where deliveries go from now on (`http://host:port/v1/psp-webhooks/stripe`); until set, deliveries answer 503. */
  forwardTo(url: string): void;
  /** The statuses the server answered, in order. */
  readonly answers: readonly number[];
  close(): Promise<void>;
}

export async function startWebhookRelay(): Promise<WebhookRelay> {
  let target: string | undefined;
  const answers: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (target === undefined) {
        response.writeHead(503).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          answers.push(answer.status);
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    forwardTo: (url) => void (target = url),
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
