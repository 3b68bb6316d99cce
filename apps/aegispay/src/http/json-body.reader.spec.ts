import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import fc from 'fast-check';
import { nestingExceeds, OVERSIZE_DRAIN_LIMIT_BYTES, readJsonBody } from './json-body.reader';
import { ProblemError } from './problem-details';

/** A request whose body the test writes (as Node's HTTP parser would), marked complete at its end. */
function openRequest(headers: Record<string, string> = { 'content-type': 'application/json' }): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.headers = headers;
  request.on('end', () => {
    request.complete = true;
  });
  return request;
}

function fakeRequest(chunks: readonly (string | Buffer)[], headers?: Record<string, string>): IncomingMessage {
  const request = openRequest(headers);
  for (const chunk of chunks) request.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  request.push(null);
  return request;
}

async function problemOf(promise: Promise<unknown>): Promise<ProblemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}

/** Nesting depth of a JSON value: 0 for a scalar, 1 for a flat object or array. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((max, child) => Math.max(max, depthOf(child)), 0);
}

describe(readJsonBody, () => {
  const options = { limitBytes: 64, maxDepth: 3 };

  describe('when the signal is aborted while the client is still sending', () => {
    it('should stop waiting and reject with the abort reason', async () => {
      const request = openRequest();
      const controller = new AbortController();
      request.push(Buffer.from('{"amount":'));

      const reading = readJsonBody(request, { ...options, signal: controller.signal });
      controller.abort(new DOMException('The server is shutting down.', 'AbortError'));

      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      expect(request.listenerCount('data')).toBe(0);
    });

    it('should not start reading when it is already aborted', async () => {
      const controller = new AbortController();
      controller.abort(new DOMException('stop', 'AbortError'));

      await expect(readJsonBody(fakeRequest(['{}']), { ...options, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    });
  });

  describe('when the body is JSON within the limits', () => {
    it('should parse it, whatever the chunking', async () => {
      await expect(readJsonBody(fakeRequest(['{"amount":', ' 1999, "tags": ["a"]}']), options)).resolves.toEqual({ amount: 1999, tags: ['a'] });
    });

    it.each([['application/json; charset=utf-8'], ['application/merchant+json'], ['Application/JSON']])('should accept the media type %s', async (contentType) => {
      await expect(readJsonBody(fakeRequest(['{}'], { 'content-type': contentType }), options)).resolves.toEqual({});
    });
  });

  describe('when the body is empty', () => {
    it('should answer undefined, whatever the media type', async () => {
      await expect(readJsonBody(fakeRequest([], {}), options)).resolves.toBeUndefined();
    });
  });

  describe('when the media type is not JSON in UTF-8', () => {
    it.each([[{}], [{ 'content-type': 'text/plain' }], [{ 'content-type': 'application/json; charset=utf-16' }]])('should refuse %j with 415', async (headers) => {
      const problem = await problemOf(readJsonBody(fakeRequest(['{}'], headers), options));

      expect([problem.status, problem.code]).toEqual([415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE']);
    });
  });

  describe('when the body is larger than the limit', () => {
    it('should read it to its end and answer 413, keeping the connection', async () => {
      const request = fakeRequest(['{"a":"', 'x'.repeat(100), '"}']);

      const problem = await problemOf(readJsonBody(request, options));

      expect([problem.status, problem.code, problem.headers]).toEqual([413, 'REQUEST.BODY_TOO_LARGE', {}]);
      expect(request.readableEnded).toBe(true);
    });

    it('should answer 413 at once and close the connection when the declared length is huge', async () => {
      const request = fakeRequest(['{}'], { 'content-type': 'application/json', 'content-length': String(OVERSIZE_DRAIN_LIMIT_BYTES + 1) });

      const problem = await problemOf(readJsonBody(request, options));

      expect(problem.status).toBe(413);
      expect(problem.headers).toEqual({ Connection: 'close' });
      expect(request.readableEnded).toBe(false);
    });

    it('should accept a body above the drain limit when the configured limit allows it', async () => {
      const text = JSON.stringify({ blob: 'b'.repeat(OVERSIZE_DRAIN_LIMIT_BYTES) });
      const request = fakeRequest([text], { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });

      await expect(readJsonBody(request, { limitBytes: 2 * OVERSIZE_DRAIN_LIMIT_BYTES })).resolves.toEqual({ blob: 'b'.repeat(OVERSIZE_DRAIN_LIMIT_BYTES) });
    });

    it('should stop reading and close the connection once an undeclared body passes the drain limit', async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const request = fakeRequest([chunk, chunk, chunk, chunk, chunk, chunk]);

      const problem = await problemOf(readJsonBody(request, options));

      expect(problem.headers).toEqual({ Connection: 'close' });
      expect(request.readableEnded).toBe(false);
    });
  });

  describe('when the body is not valid UTF-8 or JSON', () => {
    it.each([[Buffer.from([0x7b, 0xff, 0x7d])], ['{"pan": 4111111111111111x}'], ['{"a": 1,}']])('should answer 400 REQUEST.MALFORMED_JSON without quoting the body (%#)', async (body) => {
      const problem = await problemOf(readJsonBody(fakeRequest([body]), options));

      expect([problem.status, problem.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);
      expect(problem.message).not.toMatch(/4111|pan/);
    });
  });

  describe('when the JSON is valid but not strict', () => {
    it.each([
      ['{"a":1,"a":2}', 'REQUEST.DUPLICATE_KEY', 'a'],
      ['{"s":"\\ud800x"}', 'REQUEST.INVALID_UNICODE', 's'],
      ['{"n":4242424242.424242}', 'PAYMENT.CARD_DATA_DETECTED', 'n'],
    ])('should answer %s with 400 %s naming %s', async (body, code, field) => {
      const problem = await problemOf(readJsonBody(fakeRequest([body]), { ...options, limitBytes: 1_000 }));

      expect([problem.status, problem.code, problem.errors?.[0]?.field]).toEqual([400, code, field]);
    });
  });

  describe('when the body nests deeper than allowed', () => {
    it('should answer 400 REQUEST.TOO_DEEP, and accept the allowed depth', async () => {
      const problem = await problemOf(readJsonBody(fakeRequest(['[[[[1]]]]']), options));

      expect([problem.status, problem.code]).toEqual([400, 'REQUEST.TOO_DEEP']);
      await expect(readJsonBody(fakeRequest(['[[[1]]]']), options)).resolves.toEqual([[[1]]]);
    });
  });
});

describe(nestingExceeds, () => {
  it('should agree with the depth of the parsed value for any JSON, brackets in strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, maxDepth) => {
        expect(nestingExceeds(JSON.stringify(value), maxDepth)).toBe(depthOf(value) > maxDepth);
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('should ignore brackets inside strings, escaped quotes included', () => {
    expect(nestingExceeds('{"a": "[[[[\\"{{{{"}', 1)).toBe(false);
  });
});
