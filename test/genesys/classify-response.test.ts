import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  classifyResponse,
  parseRetryAfter,
} from '../../shared/genesys/classify-response';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** A Genesys ErrorBody as the API sends it. */
function errorBody(status: number, code: string, message: string) {
  return {
    message,
    code,
    status,
    messageWithParams: message,
    messageParams: {},
    contextId: 'ctx-0b6a4f52',
    details: [],
    errors: [],
  };
}

describe('classifyResponse: the architecture error table', () => {
  it.each([200, 201, 202, 204, 299])('%i is sent, with the body and the correlation id', (status) => {
    // Prepare
    const data = { messageId: 'gm-1' };

    // Act
    const outcome = classifyResponse({ status, headers: { 'inin-correlation-id': 'corr-1' }, data }, NOW);

    // Assess
    expect(outcome).toEqual({ kind: 'sent', status, data, correlationId: 'corr-1' });
  });

  it.each([400, 403, 404, 409, 413, 422])('%i is permanent and keeps Genesys’ own words', (status) => {
    // Prepare
    const body = errorBody(status, 'bad.request', 'The request could not be understood');

    // Act
    const outcome = classifyResponse(
      { status, headers: { 'ININ-Correlation-Id': 'corr-2' }, data: body },
      NOW,
    );

    // Assess
    expect(outcome).toEqual({
      kind: 'permanent',
      error: {
        status,
        code: 'bad.request',
        message: 'The request could not be understood',
        contextId: 'ctx-0b6a4f52',
        correlationId: 'corr-2',
      },
    });
  });

  it.each([401, 402, 405, 406, 410, 415, 451, 499])('any other 4xx (%i) is permanent', (status) => {
    // Act
    const outcome = classifyResponse({ status, data: errorBody(status, 'x', 'y') }, NOW);

    // Assess
    expect(outcome.kind).toBe('permanent');
  });

  it.each([408, 500, 502, 503, 504, 501, 507, 599])('%i is transient', (status) => {
    // Act
    const outcome = classifyResponse(
      { status, data: errorBody(status, 'service.unavailable', 'try later') },
      NOW,
    );

    // Assess
    expect(outcome).toEqual({
      kind: 'transient',
      error: { status, code: 'service.unavailable', message: 'try later', contextId: 'ctx-0b6a4f52' },
    });
  });

  it('a redirect left unfollowed is permanent (Genesys does not redirect API calls)', () => {
    // Act
    const outcome = classifyResponse(
      { status: 302, headers: { location: 'https://elsewhere' }, data: '' },
      NOW,
    );

    // Assess
    expect(outcome).toEqual({
      kind: 'permanent',
      error: { status: 302, message: 'Genesys answered HTTP 302 Found' },
    });
  });
});

describe('classifyResponse: 429 and Retry-After', () => {
  const body = errorBody(
    429,
    'too.many.requests.retry.after',
    'Rate limit exceeded the maximum. Retry the request in [7] seconds',
  );

  it.each([
    ['7', 7],
    [' 12 ', 12],
    ['0', 0],
    [['5', '9'], 5],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30],
    ['Sun, 01 Mar 2026 12:00:29 GMT', 29],
    ['Sunday, 01-Mar-26 12:01:00 GMT', 60],
    ['Sun Mar  1 12:00:10 2026', 10],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
  ])('Retry-After %j gives %i seconds', (header, seconds) => {
    // Act
    const outcome = classifyResponse({ status: 429, headers: { 'Retry-After': header }, data: body }, NOW);

    // Assess
    expect(outcome).toEqual({
      kind: 'throttled',
      retryAfterSeconds: seconds,
      error: {
        status: 429,
        code: 'too.many.requests.retry.after',
        message: body.message,
        contextId: 'ctx-0b6a4f52',
      },
    });
  });

  it('rounds a date half a second away up, so that the wait is never too short', () => {
    // Act / Assess
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:01 GMT', NOW + 500)).toBe(1);
  });

  it.each([
    undefined,
    '',
    'soon',
    '-5',
    '1.5',
    '3s',
    'Sun, 01 Mar 2026 25:61:00 GMT',
    'tomorrow 2026',
    '2026-03-01T12:00:30Z',
  ])('an absent or invalid Retry-After (%j) leaves the delay to the retry policy', (header) => {
    // Act
    const outcome = classifyResponse(
      { status: 429, headers: header === undefined ? {} : { 'retry-after': header }, data: body },
      NOW,
    );

    // Assess
    expect(outcome.kind).toBe('throttled');
    expect(outcome).not.toHaveProperty('retryAfterSeconds');
  });
});

describe('classifyResponse: bodies that are not an ErrorBody', () => {
  it('uses the OAuth error fields of the token endpoint', () => {
    // Act
    const outcome = classifyResponse(
      { status: 401, data: { error: 'invalid_client', error_description: 'client authentication failed' } },
      NOW,
    );

    // Assess
    expect(outcome).toEqual({
      kind: 'permanent',
      error: { status: 401, code: 'invalid_client', message: 'client authentication failed' },
    });
  });

  it('uses `description` when that is what the OAuth error carries', () => {
    // Act
    const outcome = classifyResponse(
      { status: 400, data: { error: 'unsupported_grant_type', description: 'only client_credentials' } },
      NOW,
    );

    // Assess
    expect(outcome).toMatchObject({
      error: { code: 'unsupported_grant_type', message: 'only client_credentials' },
    });
  });

  it('turns an HTML page from a proxy into a short readable message', () => {
    // Prepare
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>';

    // Act
    const outcome = classifyResponse({ status: 502, data: html }, NOW);

    // Assess
    expect(outcome).toEqual({
      kind: 'transient',
      error: {
        status: 502,
        message: 'Genesys answered HTTP 502 Bad Gateway: 502 Bad Gateway 502 Bad Gateway nginx',
      },
    });
  });

  it('cuts a long text body', () => {
    // Act
    const outcome = classifyResponse({ status: 503, data: 'x'.repeat(5000) }, NOW);

    // Assess
    expect(outcome.kind === 'transient' && outcome.error.message.length).toBeLessThan(300);
  });

  it.each([undefined, null, '', [], 42, { message: '' }])(
    'says which status it was for an empty or odd body (%j)',
    (data) => {
      // Act
      const outcome = classifyResponse({ status: 413, data }, NOW);

      // Assess
      expect(outcome).toEqual({
        kind: 'permanent',
        error: { status: 413, message: 'Genesys answered HTTP 413 Payload Too Large' },
      });
    },
  );
});

describe('classifyNetworkError', () => {
  it.each([
    [{ code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' }, 'ECONNABORTED'],
    [{ code: 'ETIMEDOUT', message: 'timeout of 100ms exceeded' }, 'ETIMEDOUT'],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, 'ECONNRESET'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }, 'ECONNREFUSED'],
    [{ code: 'EPIPE', message: 'write EPIPE' }, 'EPIPE'],
    [{ message: 'socket hang up' }, 'ECONNRESET'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.example' }, 'ENOTFOUND'],
    [{ code: 'ECONNREFUSED', message: '' }, 'ECONNREFUSED'],
  ])('%j is transient with code %s', (error, code) => {
    // Act
    const outcome = classifyNetworkError(error);

    // Assess
    expect(outcome.kind).toBe('transient');
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.status).toBeUndefined();
    expect(outcome.error.message).toContain('code' in error ? code : 'socket hang up');
  });

  it('prefixes the message with its context and keeps the detail', () => {
    // Act
    const outcome = classifyNetworkError(
      { code: 'ECONNABORTED', message: 'timeout of 250ms exceeded' },
      'POST /api/v2/x',
    );

    // Assess
    expect(outcome.error.message).toBe(
      'POST /api/v2/x: no answer from Genesys: timeout of 250ms exceeded (ECONNABORTED)',
    );
  });

  it('is permanent when the request itself cannot be built', () => {
    // Act
    const outcome = classifyNetworkError({ code: 'ERR_INVALID_URL', message: 'Invalid URL' });

    // Assess
    expect(outcome.kind).toBe('permanent');
  });

  it('reads only code and message: never the Authorization header an axios error carries', () => {
    // Prepare
    const axiosLike = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      config: { headers: { Authorization: 'Bearer token-abcdef-123' }, auth: { password: 'pw-secret' } },
      request: { _header: 'Authorization: Bearer token-abcdef-123' },
    });

    // Act
    const outcome = classifyNetworkError(axiosLike);

    // Assess
    expect(JSON.stringify(outcome)).not.toMatch(/token-abcdef-123|pw-secret/);
  });

  it('copes with something that is not an error at all', () => {
    // Act / Assess
    expect(classifyNetworkError(undefined)).toEqual({
      kind: 'transient',
      error: { message: 'no answer from Genesys: request failed without an answer' },
    });
  });
});
