import { describe, expect, it } from 'vitest';
import {
  GenesysConfigurationError,
  GenesysCredentialsError,
  isGenesysSetupError,
} from '../../shared/genesys/errors';
import { redactFailure } from '../../shared/genesys/redact';

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
