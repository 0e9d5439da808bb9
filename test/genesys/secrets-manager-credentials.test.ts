import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialsUnavailableError, GenesysCredentialsError } from '../../shared/genesys/errors';
import { SecretsManagerCredentialsProvider } from '../../shared/genesys/secrets-manager-credentials';
import { rejected } from './support/caught';

const SECRET_ID = 'prod/genesys/oauth-client';
// Distinctive values: a test then proves none of them leaks into an error message.
const CLIENT_ID = 'client-id-6f1d2c';
const CLIENT_SECRET = 'super-secret-value-9a8b7c';
const sm = mockClient(SecretsManagerClient);
const savedEnv = { ...process.env };

function secretString(value: unknown): { SecretString: string } {
  return { SecretString: JSON.stringify(value) };
}

function awsError(name: string, httpStatusCode: number, message = `${name} happened`) {
  return new SecretsManagerServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message,
  });
}

/** A provider with a hand-driven clock. */
function providerWithClock(ttlSeconds = 300) {
  const clock = { now: 1_000_000 };
  const provider = new SecretsManagerCredentialsProvider({
    secretId: SECRET_ID,
    ttlSeconds,
    now: () => clock.now,
  });
  return { provider, clock };
}

beforeEach(() => {
  sm.reset();
});

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('SecretsManagerCredentialsProvider: reading the secret', () => {
  it('returns the credentials of the secret JSON and asks for the configured secret id', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves(
      secretString({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        region: 'eu_west_1',
        note: 'ignored',
      }),
    );
    const { provider } = providerWithClock();

    // Act
    const credentials = await provider.get();

    // Assess
    expect(credentials).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: 'eu_west_1' });
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
  });

  it('accepts a Genesys domain as region', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves(
      secretString({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: 'mypurecloud.de' }),
    );
    const { provider } = providerWithClock();

    // Act
    const credentials = await provider.get();

    // Assess
    expect(credentials.region).toBe('mypurecloud.de');
  });
});

describe('SecretsManagerCredentialsProvider: errors name the secret and the field, never a value', () => {
  async function errorFor(secret: { SecretString?: string; SecretBinary?: Uint8Array }): Promise<Error> {
    sm.on(GetSecretValueCommand).resolves(secret);
    return rejected(providerWithClock().provider.get());
  }

  function expectNoValue(error: Error): void {
    expect(error.message).not.toContain(CLIENT_SECRET);
    expect(error.message).not.toContain(CLIENT_ID);
    expect(error.message).not.toContain('moon-1');
  }

  it('a missing secret (ResourceNotFoundException)', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        $metadata: { httpStatusCode: 400 },
      }),
    );

    // Act
    const error = await rejected(providerWithClock().provider.get());

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error).toMatchObject({ kind: 'credentials' });
    expect(error.message).toContain(`"${SECRET_ID}"`);
    expect(error.message).toContain('ResourceNotFoundException');
  });

  it('malformed JSON, without quoting the secret text', async () => {
    // Act
    const error = await errorFor({
      SecretString: `{"clientId":"${CLIENT_ID}","clientSecret":"${CLIENT_SECRET}"`,
    });

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error.message).toContain(`"${SECRET_ID}" is not valid JSON`);
    expectNoValue(error);
  });

  it('JSON that is not an object', async () => {
    // Act
    const error = await errorFor({ SecretString: JSON.stringify([CLIENT_ID, CLIENT_SECRET]) });

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error.message).toContain(`"${SECRET_ID}" must be a JSON object`);
    expectNoValue(error);
  });

  it('a missing field', async () => {
    // Act
    const error = await errorFor(secretString({ clientId: CLIENT_ID, region: 'us-east-1' }));

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error.message).toBe(
      `Genesys credentials secret "${SECRET_ID}" is invalid: field "clientSecret" is missing`,
    );
  });

  it('an empty field and a field of the wrong type, both reported', async () => {
    // Act
    const error = await errorFor(secretString({ clientId: 42, clientSecret: '   ', region: 'us-east-1' }));

    // Assess
    expect(error.message).toContain('field "clientId" must be a string');
    expect(error.message).toContain('field "clientSecret" must not be empty');
    expect(error.message).toContain(SECRET_ID);
  });

  it('an unknown region, listing the valid ones but not the value', async () => {
    // Act
    const error = await errorFor(
      secretString({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: 'moon-1' }),
    );

    // Assess
    expect(error.message).toContain('field "region" is not a known Genesys region or domain');
    expect(error.message).toContain('eu-central-2');
    expectNoValue(error);
  });

  it('a binary secret', async () => {
    // Act
    const error = await errorFor({ SecretBinary: new TextEncoder().encode(CLIENT_SECRET) });

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error.message).toContain('has no SecretString');
    expectNoValue(error);
  });

  it('access denied is a credentials error that keeps AWS’s explanation', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).rejects(
      awsError('AccessDeniedException', 400, 'not authorized to perform secretsmanager:GetSecretValue'),
    );

    // Act
    const error = await rejected(providerWithClock().provider.get());

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
    expect(error.message).toContain(
      'AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue',
    );
  });

  it.each([
    ['ThrottlingException', 400],
    ['InternalServiceError', 500],
    ['ServiceUnavailable', 503],
  ])(
    '%s is a passing failure (CredentialsUnavailableError), so the message is retried',
    async (name, status) => {
      // Prepare
      sm.on(GetSecretValueCommand).rejects(awsError(name, status));

      // Act
      const error = await rejected(providerWithClock().provider.get());

      // Assess
      expect(error).toBeInstanceOf(CredentialsUnavailableError);
      expect(error).toMatchObject({ code: name });
      expect(error.message).toContain(SECRET_ID);
    },
  );

  it('a network failure (no HTTP status) is passing too', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }),
    );

    // Act
    const error = await rejected(providerWithClock().provider.get());

    // Assess
    expect(error).toBeInstanceOf(CredentialsUnavailableError);
  });
});

describe('SecretsManagerCredentialsProvider: cache', () => {
  const first = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, region: 'us-east-1' };
  const rotated = { clientId: CLIENT_ID, clientSecret: 'rotated-secret-1234', region: 'us-east-1' };

  it('reads once within the TTL and again after it', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolvesOnce(secretString(first)).resolvesOnce(secretString(rotated));
    const { provider, clock } = providerWithClock(300);

    // Act
    const a = await provider.get();
    clock.now += 299_000;
    const b = await provider.get();
    clock.now += 1_000;
    const c = await provider.get();

    // Assess
    expect([a.clientSecret, b.clientSecret, c.clientSecret]).toEqual([
      CLIENT_SECRET,
      CLIENT_SECRET,
      rotated.clientSecret,
    ]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('shares one read between concurrent callers', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolves(secretString(first));
    const { provider } = providerWithClock();

    // Act
    const all = await Promise.all(Array.from({ length: 20 }, () => provider.get()));

    // Assess
    expect(new Set(all.map((c) => c.clientSecret))).toEqual(new Set([CLIENT_SECRET]));
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('reload() reads now, within the TTL, and get() then returns the new value', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolvesOnce(secretString(first)).resolvesOnce(secretString(rotated));
    const { provider } = providerWithClock(300);
    await provider.get();

    // Act
    const reloaded = await provider.reload();
    const after = await provider.get();

    // Assess
    expect(reloaded.clientSecret).toBe(rotated.clientSecret);
    expect(after.clientSecret).toBe(rotated.clientSecret);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('keeps using the expired value while Secrets Manager is throttling, and reads again next time', async () => {
    // Prepare
    sm.on(GetSecretValueCommand)
      .resolvesOnce(secretString(first))
      .rejectsOnce(awsError('ThrottlingException', 400))
      .resolvesOnce(secretString(rotated));
    const { provider, clock } = providerWithClock(60);
    await provider.get();
    clock.now += 61_000;

    // Act
    const during = await provider.get();
    const after = await provider.get();

    // Assess
    expect(during.clientSecret).toBe(CLIENT_SECRET);
    expect(after.clientSecret).toBe(rotated.clientSecret);
  });

  it('does not keep an expired value once the secret itself is broken', async () => {
    // Prepare
    sm.on(GetSecretValueCommand).resolvesOnce(secretString(first)).resolvesOnce({ SecretString: 'not json' });
    const { provider, clock } = providerWithClock(60);
    await provider.get();
    clock.now += 61_000;

    // Act
    const error = await rejected(provider.get());

    // Assess
    expect(error).toBeInstanceOf(GenesysCredentialsError);
  });

  it('takes its TTL from CREDENTIALS_CACHE_TTL_SECONDS', async () => {
    // Prepare
    process.env.CREDENTIALS_CACHE_TTL_SECONDS = '10';
    sm.on(GetSecretValueCommand).resolves(secretString(first));
    const clock = { now: 0 };
    const provider = new SecretsManagerCredentialsProvider({ secretId: SECRET_ID, now: () => clock.now });

    // Act
    await provider.get();
    clock.now = 9_999;
    await provider.get();
    clock.now = 10_000;
    await provider.get();

    // Assess
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses an invalid CREDENTIALS_CACHE_TTL_SECONDS with a configuration error naming it', () => {
    // Prepare
    process.env.CREDENTIALS_CACHE_TTL_SECONDS = 'five minutes';

    // Act / Assess
    expect(() => new SecretsManagerCredentialsProvider({ secretId: SECRET_ID })).toThrow(
      expect.objectContaining({
        kind: 'configuration',
        message: expect.stringContaining('CREDENTIALS_CACHE_TTL_SECONDS'),
      }),
    );
  });
});
