import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../shared/config/environment';
import {
  secretsManagerWebhookSecrets,
  staticWebhookSecrets,
  webhookSecretsFromEnvironment,
} from '../../shared/webhook/webhook-secret';
import { PREVIOUS_SECRET, SECRET } from './support';

const SECRET_ID = 'genesys/webhook-signing';
const secretsManager = mockClient(SecretsManagerClient);

function notFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret version.",
    $metadata: {},
  });
}

function stages(current: string, previous?: string): void {
  secretsManager.reset();
  secretsManager.on(GetSecretValueCommand, { SecretId: SECRET_ID, VersionStage: 'AWSCURRENT' }).resolves({
    SecretString: current,
  });
  const previousStage = secretsManager.on(GetSecretValueCommand, {
    SecretId: SECRET_ID,
    VersionStage: 'AWSPREVIOUS',
  });
  if (previous === undefined) previousStage.rejects(notFound());
  else previousStage.resolves({ SecretString: previous });
}

function source(clock: { now: number }, minReloadIntervalMs = 30_000) {
  return secretsManagerWebhookSecrets({
    secretId: SECRET_ID,
    client: () => new SecretsManagerClient({ region: 'us-east-1' }),
    ttlSeconds: 300,
    minReloadIntervalMs,
    now: () => clock.now,
  });
}

describe('secretsManagerWebhookSecrets', () => {
  beforeEach(() => secretsManager.reset());

  it('reads the current and the previous version, current first', async () => {
    // Prepare
    stages(SECRET, PREVIOUS_SECRET);

    // Act
    const secrets = await source({ now: 0 }).secrets();

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS_SECRET]);
  });

  it('works with no previous version (never rotated)', async () => {
    // Prepare
    stages(SECRET);

    // Act
    const secrets = await source({ now: 0 }).secrets();

    // Assess
    expect(secrets).toEqual([SECRET]);
  });

  it('serves the cache within the TTL and reloads after it', async () => {
    // Prepare
    const clock = { now: 0 };
    stages(SECRET);
    const secrets = source(clock);
    await secrets.secrets();

    // Act
    clock.now = 299_000;
    const cached = await secrets.secrets();
    stages('whsec-rotated', SECRET);
    clock.now = 300_000;
    const reloaded = await secrets.secrets();

    // Assess
    expect(cached).toEqual([SECRET]);
    expect(reloaded).toEqual(['whsec-rotated', SECRET]);
  });

  it('reloads on request after a mismatch, at most once per interval', async () => {
    // Prepare
    const clock = { now: 0 };
    stages(SECRET);
    const secrets = source(clock, 30_000);
    await secrets.secrets();
    stages('whsec-rotated', SECRET);

    // Act
    clock.now = 10_000;
    const tooSoon = await secrets.secrets({ reload: true });
    clock.now = 30_000;
    const reloaded = await secrets.secrets({ reload: true });

    // Assess
    expect(tooSoon).toEqual([SECRET]);
    expect(reloaded).toEqual(['whsec-rotated', SECRET]);
  });

  it('shares one load between concurrent callers', async () => {
    // Prepare
    stages(SECRET);
    const secrets = source({ now: 0 });

    // Act
    const results = await Promise.all([secrets.secrets(), secrets.secrets(), secrets.secrets()]);

    // Assess
    expect(results).toEqual([[SECRET], [SECRET], [SECRET]]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails when the current version is missing, and does not cache the failure', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).rejects(notFound());
    const secrets = source({ now: 0 });

    // Act
    const failure = await secrets.secrets().catch((error: unknown) => error);
    stages(SECRET);
    const recovered = await secrets.secrets();

    // Assess
    expect((failure as Error).name).toBe('ResourceNotFoundException');
    expect(recovered).toEqual([SECRET]);
  });

  it('refuses a secret without a SecretString, naming the secret id but no value', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    // Act
    const failure = await source({ now: 0 })
      .secrets()
      .catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toContain(SECRET_ID);
  });

  it('propagates other errors for the previous version (e.g. access denied)', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand, { VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: SECRET });
    secretsManager
      .on(GetSecretValueCommand, { VersionStage: 'AWSPREVIOUS' })
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    // Act
    const failure = await source({ now: 0 })
      .secrets()
      .catch((error: unknown) => error);

    // Assess
    expect((failure as Error).name).toBe('AccessDeniedException');
  });
});

describe('secretsManagerWebhookSecrets when Secrets Manager fails after the TTL', () => {
  beforeEach(() => secretsManager.reset());
  const throttled = () =>
    Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });

  it('keeps verifying with the last good secrets for a bounded time, then fails', async () => {
    // Prepare
    const clock = { now: 0 };
    const fallbacks: number[] = [];
    stages(SECRET, PREVIOUS_SECRET);
    const secrets = secretsManagerWebhookSecrets({
      secretId: SECRET_ID,
      client: () => new SecretsManagerClient({ region: 'us-east-1' }),
      ttlSeconds: 300,
      staleFallbackSeconds: 600,
      now: () => clock.now,
      onStaleFallback: (_error, ageMs) => fallbacks.push(ageMs),
    });
    await secrets.secrets();
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).rejects(throttled());

    // Act
    clock.now = 301_000;
    const justExpired = await secrets.secrets();
    clock.now = 899_000;
    const nearTheBound = await secrets.secrets();
    clock.now = 900_000;
    const pastTheBound = await secrets.secrets().catch((error: unknown) => error);

    // Assess
    expect(justExpired).toEqual([SECRET, PREVIOUS_SECRET]);
    expect(nearTheBound).toEqual([SECRET, PREVIOUS_SECRET]);
    expect((pastTheBound as Error).name).toBe('ThrottlingException');
    expect(fallbacks).toEqual([301_000, 899_000]);
  });

  it('never falls back when the secret is gone or access is denied', async () => {
    // Prepare
    const clock = { now: 0 };
    stages(SECRET);
    const secrets = source(clock);
    await secrets.secrets();
    secretsManager.reset();
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: {} }));

    // Act
    clock.now = 301_000;
    const failure = await secrets.secrets().catch((error: unknown) => error);

    // Assess
    expect((failure as Error).name).toBe('AccessDeniedException');
  });
});

describe('webhookSecretsFromEnvironment', () => {
  const saved = { ...process.env };
  beforeEach(() => secretsManager.reset());
  afterEach(() => {
    process.env = { ...saved };
    secretsManager.reset();
  });

  it('uses WEBHOOK_SECRET directly when set (local stack)', async () => {
    // Prepare
    process.env.WEBHOOK_SECRET = SECRET;
    process.env.WEBHOOK_SECRET_ID = SECRET_ID;

    // Act
    const secrets = await webhookSecretsFromEnvironment().secrets();

    // Assess
    expect(secrets).toEqual([SECRET]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('reads the secret named by WEBHOOK_SECRET_ID', async () => {
    // Prepare
    delete process.env.WEBHOOK_SECRET;
    process.env.WEBHOOK_SECRET_ID = SECRET_ID;
    process.env.AWS_REGION = 'us-east-1';
    stages(SECRET, PREVIOUS_SECRET);

    // Act
    const secrets = await webhookSecretsFromEnvironment().secrets();

    // Assess
    expect(secrets).toEqual([SECRET, PREVIOUS_SECRET]);
  });

  it('names both variables when neither is set', () => {
    // Prepare
    delete process.env.WEBHOOK_SECRET;
    delete process.env.WEBHOOK_SECRET_ID;

    // Act / Assess
    expect(() => webhookSecretsFromEnvironment()).toThrow(/WEBHOOK_SECRET_ID.*WEBHOOK_SECRET/);
  });

  it('refuses an empty static secret', () => {
    // Act / Assess
    expect(() => staticWebhookSecrets('')).toThrow(ConfigurationError);
  });
});
