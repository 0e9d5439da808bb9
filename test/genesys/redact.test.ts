import type { AxiosInstance } from 'axios';
import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../shared/genesys/classify-response';
import { StaticCredentialsProvider } from '../../shared/genesys/credentials';
import {
  GenesysConfigurationError,
  GenesysCredentialsError,
  type GenesysTokenError,
  isGenesysSetupError,
} from '../../shared/genesys/errors';
import { redactAnswer, redactFailure } from '../../shared/genesys/redact';
import { TokenProvider } from '../../shared/genesys/token-provider';

describe('redactFailure', () => {
  it('removes every occurrence of each secret from the message and the code', () => {
    // Prepare
    const failure = {
      kind: 'transient' as const,
      error: {
        status: 502,
        code: 'tok-123456',
        message: 'proxy echoed Bearer tok-123456 and tok-123456 again',
        contextId: 'c',
      },
    };

    // Act
    const clean = redactFailure(failure, ['tok-123456']);

    // Assess
    expect(clean).toEqual({
      kind: 'transient',
      error: {
        status: 502,
        code: '[redacted]',
        message: 'proxy echoed Bearer [redacted] and [redacted] again',
        contextId: 'c',
      },
    });
    expect(failure.error.message).toContain('tok-123456');
  });

  it('leaves a failure without secrets as it is', () => {
    // Prepare
    const failure = { kind: 'permanent' as const, error: { status: 400, message: 'bad request' } };

    // Act / Assess
    expect(redactFailure(failure, ['a-long-secret'])).toEqual(failure);
  });
});

describe('isGenesysSetupError', () => {
  it('recognises the two kinds the delivery code treats as ours to fix', () => {
    // Act / Assess
    expect(isGenesysSetupError(new GenesysConfigurationError('x'))).toBe(true);
    expect(isGenesysSetupError(new GenesysCredentialsError('x'))).toBe(true);
    expect(isGenesysSetupError(new Error('x'))).toBe(false);
    expect(new GenesysConfigurationError('x').kind).toBe('configuration');
    expect(new GenesysCredentialsError('x').kind).toBe('credentials');
  });
});

describe('redaction before truncation', () => {
  const secret = 'S3cr3t-client-secret-value-0123456789';

  it('leaves no piece of a secret that a long error body quotes right where classification cuts it', async () => {
    // Prepare: a proxy page quoting the secret across the 200th character of the excerpt.
    const body = `${'x'.repeat(185)} ${secret} ${'y'.repeat(300)}`;
    const http = { post: async () => ({ status: 502, headers: {}, data: body }) } as unknown as AxiosInstance;
    const provider = new TokenProvider({
      credentials: new StaticCredentialsProvider({
        clientId: 'client-1',
        clientSecret: secret,
        region: 'us-east-1',
      }),
      baseUrls: { loginBaseUrl: 'https://login.example.test' },
      http,
    });

    // Act
    const failure = await provider.getToken().then(
      () => undefined,
      (error: unknown) => (error as GenesysTokenError).failure,
    );

    // Assess
    const text = JSON.stringify(failure);
    expect(failure?.kind).toBe('transient');
    for (let cut = 4; cut <= secret.length; cut++) expect(text).not.toContain(secret.slice(0, cut));
  });

  it('redacts every field of an error body, contextId and the correlation header included', async () => {
    // Prepare
    const answer = {
      status: 400,
      headers: { 'ININ-Correlation-Id': `corr-${secret}` },
      data: {
        message: 'bad',
        code: 'bad.request',
        contextId: `ctx-${secret}`,
        details: [{ fieldName: secret }],
      },
    };

    // Act
    const outcome = classifyResponse(redactAnswer(answer, [secret]));

    // Assess
    expect(JSON.stringify(outcome)).not.toContain(secret);
    expect(outcome.kind !== 'sent' && outcome.error).toMatchObject({
      contextId: 'ctx-[redacted]',
      correlationId: 'corr-[redacted]',
    });
  });

  it('redacts contextId and correlationId of a failure too', () => {
    // Act
    const clean = redactFailure(
      { kind: 'permanent', error: { message: 'm', contextId: `a${secret}`, correlationId: secret } },
      [secret],
    );

    // Assess
    expect(clean.error).toEqual({ message: 'm', contextId: 'a[redacted]', correlationId: '[redacted]' });
  });
});
