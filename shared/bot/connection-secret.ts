import { createHash, timingSafeEqual } from 'node:crypto';
import { optionalEnv } from '../config/environment';
import { headerValue } from '../http/api-gateway';
import { plainSecretsFromEnvironment, type WebhookSecretSource } from '../webhook/webhook-secret';
import { checkSecretHeaderName, DEFAULT_BOT_CONNECTOR_SECRET_HEADER } from './secret-header';

/** The header Genesys sends the integration's connection secret in, unless configured otherwise. */
/**
 * True when the request carries one of the accepted secrets (AWSCURRENT, then AWSPREVIOUS during a
 * rotation). Compared in constant time over fixed-length digests, so neither content nor length leaks.
 */
export function hasConnectionSecret(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  headerName: string,
  secrets: readonly string[],
): boolean {
  const given = headerValue(headers, headerName);
  if (given === undefined || given === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  const givenDigest = digest(given);
  let match = false;
  // Every secret is compared, so the time does not tell which one matched.
  for (const secret of secrets) match = timingSafeEqual(givenDigest, digest(secret)) || match;
  return match;
}

/** BOT_CONNECTOR_SECRET (local) or the Secrets Manager secret BOT_CONNECTOR_SECRET_ID (cached, both stages). */
export function connectionSecretsFromEnvironment(): WebhookSecretSource {
  return plainSecretsFromEnvironment('botConnectorSecret', 'botConnectorSecretId');
}

export function secretHeaderFromEnvironment(): string {
  return checkSecretHeaderName(
    optionalEnv('botConnectorSecretHeader') ?? DEFAULT_BOT_CONNECTOR_SECRET_HEADER,
  );
}
