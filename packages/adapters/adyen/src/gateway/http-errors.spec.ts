import { HttpClientException } from '@adyen/api-library';
import { classifyAdyenError } from './http-errors';

const answer = (status: number, body: { errorCode?: string; errorType?: string; message?: string } = {}, headers: Record<string, string> = {}): HttpClientException =>
  new HttpClientException({ message: `HTTP ${status}`, statusCode: status, responseHeaders: headers, apiError: { status, ...body } });

describe(classifyAdyenError, () => {
  it.each([
    ['704 in progress (422)', answer(422, { errorCode: '704' }), 'IN_PROGRESS'],
    ['704 in progress (409)', answer(409, { errorCode: '704' }), 'IN_PROGRESS'],
    ['a 500 marked Transient-Error: true', answer(500, { errorCode: '000' }, { 'transient-error': 'true' }), 'RETRYABLE'],
    ['a 500 of errorType configuration', answer(500, { errorCode: '905', errorType: 'configuration' }), 'REFUSED'],
    ['a 500 of errorType internal without the transient header', answer(500, { errorType: 'internal' }), 'MAYBE_PROCESSED'],
    ['a 504', answer(504), 'MAYBE_PROCESSED'],
    ['a 503', answer(503, { errorCode: '703' }), 'RETRYABLE'],
    ['a 429', answer(429), 'RETRYABLE'],
    ['a 401', answer(401, { errorCode: '000' }), 'REFUSED'],
    ['a 403', answer(403, { errorCode: '901' }), 'REFUSED'],
    ['a 422', answer(422, { errorCode: '14_030' }), 'REFUSED'],
    ['an unexpected 418', answer(418), 'REFUSED'],
  ])('should read %s as %s', (_case, error, kind) => {
    expect(classifyAdyenError(error)).toMatchObject({ kind });
  });

  it('should leave errors that are not Adyen answers alone', () => {
    expect(classifyAdyenError(new Error('socket hang up'))).toBeUndefined();
  });
});
