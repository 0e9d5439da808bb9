import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialsFromEnvironment, StaticCredentialsProvider } from '../../shared/genesys/credentials';
import { GenesysConfigurationError } from '../../shared/genesys/errors';
import { SecretsManagerCredentialsProvider } from '../../shared/genesys/secrets-manager-credentials';
import { caught, rejected } from './support/caught';

const savedEnv = { ...process.env };
const GENESYS_VARIABLES = [
  'GENESYS_SECRET_ID',
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_REGION',
];

beforeEach(() => {
  for (const name of GENESYS_VARIABLES) delete process.env[name];
});

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('credentialsFromEnvironment', () => {
  it('uses Secrets Manager when GENESYS_SECRET_ID is set, even with direct credentials present', () => {
    // Prepare
    process.env.GENESYS_SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-AbCdEf';
    process.env.GENESYS_CLIENT_ID = 'local-client';

    // Act
    const provider = credentialsFromEnvironment();

    // Assess
    expect(provider).toBeInstanceOf(SecretsManagerCredentialsProvider);
    expect((provider as SecretsManagerCredentialsProvider).secretId).toBe(process.env.GENESYS_SECRET_ID);
  });

  it('uses GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET / GENESYS_REGION otherwise', async () => {
    // Prepare
    process.env.GENESYS_CLIENT_ID = 'local-client';
    process.env.GENESYS_CLIENT_SECRET = 'local-secret-value';
    process.env.GENESYS_REGION = 'eu_west_1';

    // Act
    const credentials = await credentialsFromEnvironment().get();

    // Assess
    expect(credentials).toEqual({
      clientId: 'local-client',
      clientSecret: 'local-secret-value',
      region: 'eu_west_1',
    });
  });

  it('reads the variables again on reload()', async () => {
    // Prepare
    process.env.GENESYS_CLIENT_ID = 'local-client';
    process.env.GENESYS_CLIENT_SECRET = 'first-secret-value';
    process.env.GENESYS_REGION = 'us-east-1';
    const provider = credentialsFromEnvironment();
    await provider.get();
    process.env.GENESYS_CLIENT_SECRET = 'second-secret-value';

    // Act
    const cached = await provider.get();
    const reloaded = await provider.reload();

    // Assess
    expect(cached.clientSecret).toBe('first-secret-value');
    expect(reloaded.clientSecret).toBe('second-secret-value');
  });

  it('names both ways to configure credentials when nothing is set', () => {
    // Act
    const error = caught(() => credentialsFromEnvironment());

    // Assess
    expect(error).toBeInstanceOf(GenesysConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration' });
    for (const name of GENESYS_VARIABLES) expect(error.message).toContain(name);
  });

  it('names the missing variables of a partial setup, without quoting the secret', () => {
    // Prepare
    process.env.GENESYS_CLIENT_SECRET = 'partial-secret-value';

    // Act
    const error = caught(() => credentialsFromEnvironment());

    // Assess
    expect(error).toBeInstanceOf(GenesysConfigurationError);
    expect(error.message).toContain('environment variable GENESYS_CLIENT_ID is missing');
    expect(error.message).toContain('environment variable GENESYS_REGION is missing');
    expect(error.message).not.toContain('GENESYS_CLIENT_SECRET is');
    expect(error.message).not.toContain('partial-secret-value');
  });

  it('refuses an unknown GENESYS_REGION at start-up', () => {
    // Prepare
    process.env.GENESYS_CLIENT_ID = 'local-client';
    process.env.GENESYS_CLIENT_SECRET = 'local-secret-value';
    process.env.GENESYS_REGION = 'mars-north-1';

    // Act
    const error = caught(() => credentialsFromEnvironment());

    // Assess
    expect(error).toBeInstanceOf(GenesysConfigurationError);
    expect(error.message).toContain('GENESYS_REGION is not a known Genesys region or domain');
    expect(error.message).toContain('ap-northeast-3');
  });
});

describe('StaticCredentialsProvider', () => {
  it('returns fixed credentials from get() and reload()', async () => {
    // Prepare
    const fixed = { clientId: 'a-client', clientSecret: 'a-secret', region: 'us-east-1' };
    const provider = new StaticCredentialsProvider(fixed);

    // Act
    const both = [await provider.get(), await provider.reload()];

    // Assess
    expect(both).toEqual([fixed, fixed]);
  });

  it('calls a function source once for get() and again for each reload()', async () => {
    // Prepare
    let calls = 0;
    const provider = new StaticCredentialsProvider(() => {
      calls += 1;
      return { clientId: 'a-client', clientSecret: `secret-${calls}`, region: 'us-east-1' };
    });

    // Act
    const a = await provider.get();
    const b = await provider.get();
    const c = await provider.reload();
    const d = await provider.get();

    // Assess
    expect([a, b, c, d].map((x) => x.clientSecret)).toEqual(['secret-1', 'secret-1', 'secret-2', 'secret-2']);
  });

  it('does not keep a failed read: the next get() asks the source again', async () => {
    // Prepare
    let calls = 0;
    const provider = new StaticCredentialsProvider(async () => {
      calls += 1;
      if (calls === 1) throw new Error('source not ready');
      return { clientId: 'a-client', clientSecret: 'a-secret', region: 'us-east-1' };
    });

    // Act
    const first = await rejected(provider.get());
    const second = await provider.get();

    // Assess
    expect(first.message).toBe('source not ready');
    expect(second.clientSecret).toBe('a-secret');
  });
});

describe('StaticCredentialsProvider: validation', () => {
  it('refuses unusable credentials with a configuration error naming the field, not the value', async () => {
    // Prepare
    const provider = new StaticCredentialsProvider({
      clientId: '',
      clientSecret: 'hidden-value-77',
      region: 'atlantis',
    });

    // Act
    const error = await rejected(provider.get());

    // Assess
    expect(error).toBeInstanceOf(GenesysConfigurationError);
    expect(error.message).toContain('field "clientId" must not be empty');
    expect(error.message).toContain('field "region" is not a known Genesys region or domain');
    expect(error.message).not.toContain('hidden-value-77');
    expect(error.message).not.toContain('atlantis');
  });
});
