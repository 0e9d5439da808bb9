/**
 * Every environment variable the functions read, with its default: the one place for these names.
 * The CDK construct sets them, the local stack sets them, and README "Configuration" lists them.
 * Values are read when asked for (not at import) so tests and the local stack can set them first.
 */
export const ENV = {
  /** Secrets Manager id or ARN of the Genesys OAuth client secret (JSON { clientId, clientSecret, region }). */
  genesysSecretId: 'GENESYS_SECRET_ID',
  /** Local use only: credentials given directly instead of a secret. */
  genesysClientId: 'GENESYS_CLIENT_ID',
  genesysClientSecret: 'GENESYS_CLIENT_SECRET',
  genesysRegion: 'GENESYS_REGION',
  /** Override the hosts derived from the region (the sandbox, a proxy). */
  genesysApiBaseUrl: 'GENESYS_API_BASE_URL',
  genesysLoginBaseUrl: 'GENESYS_LOGIN_BASE_URL',
  genesysTimeoutMs: 'GENESYS_TIMEOUT_MS',
  /** Pacing of this instance's Genesys calls (see shared/genesys/rate-pacer.ts). */
  genesysMaxRequestsPerMinute: 'GENESYS_MAX_REQUESTS_PER_MINUTE',
  credentialsTtlSeconds: 'CREDENTIALS_CACHE_TTL_SECONDS',
  /** Secrets Manager id of the webhook signing secret. */
  webhookSecretId: 'WEBHOOK_SECRET_ID',
  /** Local use only: the webhook signing secret given directly (wins over WEBHOOK_SECRET_ID). */
  webhookSecret: 'WEBHOOK_SECRET',
  /** Forwarding mode: the org's own Open Messaging middleware, which gets every verified post unchanged. */
  webhookForwardUrl: 'WEBHOOK_FORWARD_URL',
  webhookForwardTimeoutMs: 'WEBHOOK_FORWARD_TIMEOUT_MS',
  statusTableName: 'STATUS_TABLE_NAME',
  statusTtlDays: 'STATUS_TTL_DAYS',
  retryQueueUrl: 'RETRY_QUEUE_URL',
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  retryMaxAttempts: 'RETRY_MAX_ATTEMPTS',
  retryMaxAgeSeconds: 'RETRY_MAX_AGE_SECONDS',
  retryBaseDelaySeconds: 'RETRY_BASE_DELAY_SECONDS',
  retryMaxDelaySeconds: 'RETRY_MAX_DELAY_SECONDS',
  leaseSeconds: 'LEASE_SECONDS',
  schedulerGroupName: 'SCHEDULER_GROUP_NAME',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  reconcileMinAgeSeconds: 'RECONCILE_MIN_AGE_SECONDS',
  /** Caller scope (docs/callers.md): principals that may read every message, comma-separated ARNs. */
  operatorPrincipals: 'OPERATOR_PRINCIPALS',
  /** The caller the stack assigns to direct invokes and to EventBridge events (Lambda names neither). */
  directInvokeCaller: 'DIRECT_INVOKE_CALLER',
  eventBridgeCaller: 'EVENTBRIDGE_CALLER',
  /** Bot connector (shared/bot): the bots as JSON (construct props / CDK context). */
  botConnectorBots: 'BOT_CONNECTOR_BOTS',
  /** Secrets Manager id of the bot connector's connection secret (plain string). */
  botConnectorSecretId: 'BOT_CONNECTOR_SECRET_ID',
  /** Local use only: the connection secret given directly (wins over BOT_CONNECTOR_SECRET_ID). */
  botConnectorSecret: 'BOT_CONNECTOR_SECRET',
  /** Header Genesys sends the connection secret in; default X-Bot-Connector-Secret. */
  botConnectorSecretHeader: 'BOT_CONNECTOR_SECRET_HEADER',
  /** EventBridge bus customer messages are published on. */
  botEventBusName: 'BOT_EVENT_BUS_NAME',
} as const;

export type EnvKey = keyof typeof ENV;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function optionalEnv(key: EnvKey): string | undefined {
  const value = process.env[ENV[key]];
  return value === undefined || value === '' ? undefined : value;
}

export function requireEnv(key: EnvKey): string {
  const value = optionalEnv(key);
  if (value === undefined) {
    throw new ConfigurationError(`environment variable ${ENV[key]} is not set`);
  }
  return value;
}

export function numberEnv(key: EnvKey, fallback: number): number {
  const raw = optionalEnv(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(
      `environment variable ${ENV[key]} must be a non-negative number, got "${raw}"`,
    );
  }
  return value;
}
