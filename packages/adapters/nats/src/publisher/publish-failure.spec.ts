import { JetStreamApiError } from '@nats-io/jetstream';
import { classifyPublishError } from './publish-failure';

function named(name: string, cause?: Error): Error {
  const error = new Error(name, cause === undefined ? undefined : { cause });
  error.name = name;
  return error;
}

describe(classifyPublishError, () => {
  it.each([
    ['a timeout waiting for the acknowledgement', named('TimeoutError'), 'unavailable'],
    ['a closed connection', named('ClosedConnectionError'), 'unavailable'],
    ['a draining connection', named('DrainingConnectionError'), 'unavailable'],
    ['a connection error', named('ConnectionError'), 'unavailable'],
    ['a request error', named('RequestError', named('TimeoutError')), 'unavailable'],
    ['no stream for the subject', named('JetStreamNotEnabled', named('RequestError')), 'stream'],
    ['a request error over no responders', named('RequestError', named('NoResponders')), 'stream'],
    ['stream not found', new JetStreamApiError({ code: 404, err_code: 10059, description: 'stream not found' }), 'stream'],
    ['another stream took the subject', new JetStreamApiError({ code: 400, err_code: 10060, description: 'expected stream does not match' }), 'stream'],
    ['a message above the stream limit', new JetStreamApiError({ code: 400, err_code: 10054, description: 'message size exceeds maximum allowed' }), 'refused'],
    ['a payload above max_payload', named('InvalidArgumentError'), 'refused'],
    ['something unknown', 'boom', 'refused'],
  ])('should read %s as %s', (_what, error, kind) => {
    expect(classifyPublishError(error)).toBe(kind);
  });
});
