import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AWS_CLIENT_CONFIG } from '../config/aws-clients';
import { isTransientAwsError } from '../config/aws-errors';
import { numberEnv } from '../config/environment';
import type { CredentialsProvider } from './credentials';
import { parseCredentialsSecret } from './credentials-schema';
import { CredentialsUnavailableError, GenesysCredentialsError, readConfiguration } from './errors';
import type { GenesysCredentials } from './types';

export const DEFAULT_CREDENTIALS_TTL_SECONDS = 300;

export interface SecretsManagerCredentialsOptions {
  /** Secret name or ARN. */
  secretId: string;
  /** How long a read secret is used before it is read again. Default CREDENTIALS_CACHE_TTL_SECONDS or 300. */
  ttlSeconds?: number;
  /** Default: a client built on first read (not at cold start), region from the Lambda environment. */
  client?: SecretsManagerClient;
  now?: () => number;
}

/**
 * Genesys credentials from a Secrets Manager secret (JSON { clientId, clientSecret, region }),
 * cached in memory for a TTL. Concurrent callers share one read. `reload()` reads now (rotation).
 * The AWS SDK is used directly: Powertools parameters would add a dependency for a cache this small.
 */
export class SecretsManagerCredentialsProvider implements CredentialsProvider {
  readonly secretId: string;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private client: SecretsManagerClient | undefined;
  private cached: { credentials: GenesysCredentials; readAt: number } | undefined;
  private reading: Promise<GenesysCredentials> | undefined;

  constructor(options: SecretsManagerCredentialsOptions) {
    this.secretId = options.secretId;
    const ttlSeconds =
      options.ttlSeconds ??
      readConfiguration(() => numberEnv('credentialsTtlSeconds', DEFAULT_CREDENTIALS_TTL_SECONDS));
    this.ttlMs = ttlSeconds * 1000;
    this.client = options.client;
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<GenesysCredentials> {
    const cached = this.cached;
    if (cached !== undefined && this.now() - cached.readAt < this.ttlMs) return cached.credentials;
    try {
      return await this.read();
    } catch (error) {
      // Secrets Manager briefly unavailable: the credentials read a moment ago are still the best guess.
      if (error instanceof CredentialsUnavailableError && cached !== undefined) return cached.credentials;
      throw error;
    }
  }

  reload(): Promise<GenesysCredentials> {
    return this.read();
  }

  /** One read in flight, shared by every caller that arrives meanwhile. */
  private read(): Promise<GenesysCredentials> {
    this.reading ??= this.readSecret().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readSecret(): Promise<GenesysCredentials> {
    this.client ??= new SecretsManagerClient(AWS_CLIENT_CONFIG);
    const startedAt = this.now();
    let secretString: string | undefined;
    try {
      const answer = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      secretString = answer.SecretString;
    } catch (error) {
      throw secretReadError(error, this.secretId);
    }
    if (secretString === undefined) {
      throw new GenesysCredentialsError(
        `Genesys credentials secret "${this.secretId}" has no SecretString (binary secrets are not supported)`,
      );
    }
    const credentials = parseCredentialsSecret(secretString, this.secretId);
    this.cached = { credentials, readAt: startedAt };
    return credentials;
  }
}

/** A permanent credentials error, or CredentialsUnavailableError for what passes (throttling, 5xx, network). */
function secretReadError(error: unknown, secretId: string): Error {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  const errorName = name ?? 'Error';
  if (errorName === 'ResourceNotFoundException') {
    return new GenesysCredentialsError(
      `Genesys credentials secret "${secretId}" was not found (ResourceNotFoundException): check GENESYS_SECRET_ID and the AWS region`,
    );
  }
  const passes = isTransientAwsError(error);
  // AWS messages name the secret and the missing permission, never its value.
  const text = `Genesys credentials secret "${secretId}" could not be read: ${errorName}${message ? `: ${message}` : ''}`;
  return passes ? new CredentialsUnavailableError(text, errorName) : new GenesysCredentialsError(text);
}
