import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { isTransientAwsError } from '../config/aws-errors';
import { ConfigurationError, ENV, type EnvKey, numberEnv, optionalEnv } from '../config/environment';
import { logger } from '../observability/telemetry';

/** Local stack only: the signing secret given directly instead of a Secrets Manager id. */
export const WEBHOOK_SECRET_ENV = ENV.webhookSecret;

export const DEFAULT_SECRET_TTL_SECONDS = 300;

/**
 * How long past its TTL the last good set of secrets still verifies signatures while Secrets Manager
 * fails transiently (throttling, 5xx, network): long enough to ride out an outage, short enough that a
 * revoked secret does not live on. A permanent failure (not found, access denied) never falls back.
 */
export const DEFAULT_STALE_FALLBACK_SECONDS = 3600;

/**
 * After a signature mismatch the caller may ask for a reload (the secret may have just been rotated);
 * at most one reload per this interval, so a flood of badly signed requests cannot flood Secrets Manager.
 */
export const MIN_RELOAD_INTERVAL_MS = 30_000;

/** The accepted webhook signing secrets: the current one first, then the previous one during a rotation. */
export interface WebhookSecretSource {
  secrets(options?: { reload?: boolean }): Promise<readonly string[]>;
}

/** A fixed secret (local stack, tests). */
export function staticWebhookSecrets(...secrets: string[]): WebhookSecretSource {
  if (secrets.length === 0 || secrets.some((secret) => secret.length === 0)) {
    throw new ConfigurationError('a webhook signing secret must not be empty');
  }
  const frozen = Object.freeze([...secrets]);
  return { secrets: async () => frozen };
}

export interface SecretsManagerWebhookSecretsOptions {
  secretId: string;
  /** Called on first use only, so a cold start that never verifies a signature builds no client. */
  client: () => SecretsManagerClient;
  ttlSeconds?: number;
  /** Default {@link DEFAULT_STALE_FALLBACK_SECONDS}. */
  staleFallbackSeconds?: number;
  minReloadIntervalMs?: number;
  now?: () => number;
  /** Told when stale secrets stand in for a failed read (the Lambda logs it as a warning). */
  onStaleFallback?: (error: unknown, ageMs: number) => void;
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ResourceNotFoundException';
}

/**
 * Reads the secret's AWSCURRENT and AWSPREVIOUS versions (the SecretString is the plain signing secret)
 * and caches them in memory for the TTL. One load in flight is shared by concurrent callers; a failed
 * load is not cached. A missing AWSPREVIOUS (no rotation yet) is normal.
 * Powertools Parameters is not used: its cache key ignores the version stage, so both stages would collide.
 */
export function secretsManagerWebhookSecrets(
  options: SecretsManagerWebhookSecretsOptions,
): WebhookSecretSource {
  const ttlMs = (options.ttlSeconds ?? DEFAULT_SECRET_TTL_SECONDS) * 1000;
  const minReloadMs = options.minReloadIntervalMs ?? MIN_RELOAD_INTERVAL_MS;
  const staleFallbackMs = (options.staleFallbackSeconds ?? DEFAULT_STALE_FALLBACK_SECONDS) * 1000;
  const now = options.now ?? Date.now;
  let client: SecretsManagerClient | undefined;
  let cached: { secrets: readonly string[]; loadedAt: number } | undefined;
  let inFlight: Promise<readonly string[]> | undefined;

  async function readStage(stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
    client ??= options.client();
    try {
      const answer = await client.send(
        new GetSecretValueCommand({ SecretId: options.secretId, VersionStage: stage }),
      );
      if (answer.SecretString === undefined || answer.SecretString === '') {
        throw new ConfigurationError(
          `webhook secret ${options.secretId} (${stage}) has no SecretString: store the signing secret as plain text`,
        );
      }
      return answer.SecretString;
    } catch (error) {
      if (stage === 'AWSPREVIOUS' && isNotFound(error)) return undefined;
      throw error;
    }
  }

  async function load(): Promise<readonly string[]> {
    const [current, previous] = await Promise.all([readStage('AWSCURRENT'), readStage('AWSPREVIOUS')]);
    const secrets = Object.freeze(
      [current, previous].filter(
        (secret, index, all): secret is string => secret !== undefined && all.indexOf(secret) === index,
      ),
    );
    cached = { secrets, loadedAt: now() };
    return secrets;
  }

  return {
    secrets(request) {
      const age = cached === undefined ? Number.POSITIVE_INFINITY : now() - cached.loadedAt;
      const stale = age >= ttlMs || (request?.reload === true && age >= minReloadMs);
      if (cached !== undefined && !stale) return Promise.resolve(cached.secrets);
      inFlight ??= load()
        .catch((error: unknown) => {
          // The last good secrets, for a bounded time, rather than a 500 for every correctly signed post.
          const last = cached;
          const lastAge = last === undefined ? Number.POSITIVE_INFINITY : now() - last.loadedAt;
          if (last === undefined || !isTransientAwsError(error) || lastAge >= ttlMs + staleFallbackMs)
            throw error;
          options.onStaleFallback?.(error, lastAge);
          return last.secrets;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}

let sharedClient: SecretsManagerClient | undefined;

/**
 * A plain secret from the environment: `direct` (local use) when set, else the Secrets Manager secret named
 * by `id`, cached for `CREDENTIALS_CACHE_TTL_SECONDS` (default 300), AWSCURRENT and AWSPREVIOUS.
 */
export function plainSecretsFromEnvironment(direct: EnvKey, id: EnvKey): WebhookSecretSource {
  const value = optionalEnv(direct);
  if (value !== undefined) return staticWebhookSecrets(value);
  const secretId = optionalEnv(id);
  if (secretId === undefined) {
    throw new ConfigurationError(`set ${ENV[id]} (or ${ENV[direct]} for local use)`);
  }
  return secretsManagerWebhookSecrets({
    secretId,
    ttlSeconds: numberEnv('credentialsTtlSeconds', DEFAULT_SECRET_TTL_SECONDS),
    onStaleFallback: (error, ageMs) =>
      logger.warn('webhook secret could not be read: verifying with the last good one', {
        error: String((error as { name?: unknown })?.name ?? error),
        ageSeconds: Math.round(ageMs / 1000),
      }),
    client: () => {
      sharedClient ??= new SecretsManagerClient(AWS_CLIENT_CONFIG);
      return sharedClient;
    },
  });
}

/** The webhook's signing secrets: `WEBHOOK_SECRET` (local stack) when set, else `WEBHOOK_SECRET_ID`. */
export function webhookSecretsFromEnvironment(): WebhookSecretSource {
  return plainSecretsFromEnvironment('webhookSecret', 'webhookSecretId');
}
