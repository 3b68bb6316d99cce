import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { HttpClientException, type Client, type Config } from '@adyen/api-library';
import type { Clock, TimerHandle } from '@aegispay/domain';

/** The SDK's HTTP client interface (`new Client(config, httpClient)`), its documented extension point. */
export type AdyenSdkHttpClient = NonNullable<ConstructorParameters<typeof Client>[1]>;
type SdkRequestOptions = NonNullable<Parameters<AdyenSdkHttpClient['request']>[4]>;

/** What went wrong in transport, and whether the request may have reached Adyen. */
export type AdyenTransportFailureKind = 'CONNECT' | 'TIMEOUT' | 'LOST' | 'ABORTED';

/**
 * A call that got no HTTP answer. `sent` is false only when no connection was ever made, so the
 * request cannot have reached Adyen.
 */
export class AdyenTransportFailure extends Error {
  constructor(
    readonly kind: AdyenTransportFailureKind,
    readonly sent: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AdyenTransportFailure';
  }
}

/** Options of {@link AdyenHttpClient}. */
export interface AdyenHttpClientOptions {
  /** Origin replacing Adyen's in every endpoint (the versioned path is kept). */
  readonly baseUrl: string | undefined;
  readonly connectTimeoutMs: number;
  readonly clock: Clock;
}

const USER_AGENT = 'aegispay-adyen/0.1.0';

/**
 * The transport handed to the Adyen SDK. The SDK's built-in client only speaks HTTPS to Adyen's own
 * hosts, takes no abort signal, and reports network failures as bare messages; this one sends to a
 * configured origin (the stub, a proxy), honours an `AbortSignal` and a per-call timeout on the
 * connector's clock, and says whether a failed request may have been sent. HTTP error answers are
 * raised as the SDK's own `HttpClientException`, exactly as its client does.
 */
export class AdyenHttpClient implements AdyenSdkHttpClient {
  readonly #options: AdyenHttpClientOptions;
  readonly #httpAgent = new HttpAgent({ keepAlive: true });
  readonly #httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(options: AdyenHttpClientOptions) {
    this.#options = options;
  }

  request(endpoint: string, json: string | Buffer, config: Config, _isApiKeyRequired: boolean, options: SdkRequestOptions = {}): Promise<string> {
    const url = this.resolve(endpoint);
    const body = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Content-Length': String(body.length),
      'User-Agent': USER_AGENT,
      'X-API-Key': config.apiKey ?? '',
    };
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    const timeoutMs = typeof options.timeout === 'number' ? options.timeout : (config.connectionTimeoutMillis ?? 30_000);
    return this.send(url, options.method ?? 'POST', headers, body, timeoutMs, options.signal ?? undefined);
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  private resolve(endpoint: string): URL {
    const url = new URL(endpoint);
    const base = this.#options.baseUrl;
    if (base === undefined) return url;
    const versioned = /\/v\d+\//.exec(url.pathname);
    const path = versioned === null ? url.pathname : url.pathname.slice(versioned.index);
    return new URL(`${base}${path}${url.search}`);
  }

  private send(url: URL, method: string, headers: Record<string, string>, body: Buffer, timeoutMs: number, signal: AbortSignal | undefined): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(new AdyenTransportFailure('ABORTED', false, 'the call was aborted before it was sent', { cause: signal.reason }));
        return;
      }
      const https = url.protocol === 'https:';
      const request: ClientRequest = (https ? httpsRequest : httpRequest)(url, { method, headers, agent: https ? this.#httpsAgent : this.#httpAgent });
      let connected = false;
      let settled = false;
      const timers: TimerHandle[] = [];
      const finish = (): void => {
        settled = true;
        for (const timer of timers) timer.cancel();
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (kind: AdyenTransportFailureKind, message: string, cause?: unknown): void => {
        if (settled) return;
        finish();
        request.destroy();
        reject(new AdyenTransportFailure(kind, kind === 'CONNECT' ? false : connected, message, cause === undefined ? undefined : { cause }));
      };
      const onAbort = (): void => fail('ABORTED', 'the call was aborted', signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(
        this.#options.clock.setTimer(this.#options.connectTimeoutMs, () => {
          if (!connected) fail('CONNECT', `no connection to ${url.host} within ${this.#options.connectTimeoutMs} ms`);
        }),
        this.#options.clock.setTimer(timeoutMs, () => fail('TIMEOUT', `no answer from Adyen within ${timeoutMs} ms`)),
      );
      request.on('socket', (socket: Socket) => {
        if (!socket.connecting) connected = true;
        else socket.once('connect', () => (connected = true));
      });
      request.on('error', (error: Error) => fail(connected ? 'LOST' : 'CONNECT', `${connected ? 'connection lost' : 'could not connect'}: ${error.message}`, error));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error: Error) => fail('LOST', `the answer was cut off: ${error.message}`, error));
        response.on('close', () => {
          if (!response.complete) fail('LOST', 'the connection closed before the whole answer arrived');
        });
        response.on('end', () => {
          if (settled) return;
          finish();
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(text);
          else reject(httpException(status, response, text));
        });
      });
      request.end(body);
    });
  }
}

type ApiError = NonNullable<HttpClientException['apiError']>;

function httpException(status: number, response: IncomingMessage, body: string): HttpClientException {
  const apiError = parseApiError(body);
  const message = apiError?.message ?? response.statusMessage ?? '';
  return new HttpClientException({
    message: `HTTP Exception: ${status}. ${message}`,
    statusCode: status,
    ...(apiError?.errorCode === undefined ? {} : { errorCode: apiError.errorCode }),
    responseHeaders: response.headers,
    responseBody: body,
    ...(apiError === undefined ? {} : { apiError }),
  });
}

/** Adyen's error body (`status`, `errorCode`, `message`, `errorType`, `pspReference`), when the answer is one. */
function parseApiError(body: string): ApiError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('status' in parsed)) return undefined;
  const field = (name: string): string | undefined => {
    const value = (parsed as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const status = (parsed as Record<string, unknown>)['status'];
  const error: ApiError = {};
  if (typeof status === 'number') error.status = status;
  for (const name of ['errorCode', 'message', 'errorType', 'pspReference'] as const) {
    const value = field(name);
    if (value !== undefined) error[name] = value;
  }
  return error;
}
