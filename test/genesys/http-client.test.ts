import { afterEach, describe, expect, it } from 'vitest';
import { GenesysConfigurationError } from '../../shared/genesys/errors';
import {
  createGenesysHttpClient,
  DEFAULT_GENESYS_TIMEOUT_MS,
  getGenesysHttpClient,
  resetGenesysHttpClient,
} from '../../shared/genesys/http-client';
import { caught } from './support/caught';

const savedEnv = { ...process.env };

afterEach(() => {
  process.env = { ...savedEnv };
  resetGenesysHttpClient();
});

describe('createGenesysHttpClient', () => {
  it('times out after 10 s unless told otherwise', () => {
    // Prepare
    delete process.env.GENESYS_TIMEOUT_MS;

    // Act
    const http = createGenesysHttpClient();

    // Assess
    expect(http.defaults.timeout).toBe(DEFAULT_GENESYS_TIMEOUT_MS);
    expect(DEFAULT_GENESYS_TIMEOUT_MS).toBe(10_000);
  });

  it('takes the timeout from GENESYS_TIMEOUT_MS', () => {
    // Prepare
    process.env.GENESYS_TIMEOUT_MS = '2500';

    // Act
    const http = createGenesysHttpClient();

    // Assess
    expect(http.defaults.timeout).toBe(2500);
  });

  it.each(['ten seconds', '-1', '0'])(
    'refuses GENESYS_TIMEOUT_MS=%j with a configuration error naming it',
    (value) => {
      // Prepare
      process.env.GENESYS_TIMEOUT_MS = value;

      // Act
      const error = caught(() => createGenesysHttpClient());

      // Assess
      expect(error).toBeInstanceOf(GenesysConfigurationError);
      expect(error.message).toContain('GENESYS_TIMEOUT_MS');
    },
  );

  it('resolves every HTTP status so that classification stays ours', () => {
    // Act
    const validateStatus = createGenesysHttpClient({ timeoutMs: 1000 }).defaults.validateStatus;

    // Assess
    expect([200, 302, 401, 429, 503].map((status) => validateStatus?.(status))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('getGenesysHttpClient', () => {
  it('is one instance per process until reset', () => {
    // Act
    const a = getGenesysHttpClient();
    const b = getGenesysHttpClient();
    resetGenesysHttpClient();
    const c = getGenesysHttpClient();

    // Assess
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
