import type { AxiosInstance } from 'axios';
import * as z from 'zod/mini';
import { logger } from '../observability/telemetry';
import { classifyNetworkError, classifyResponse } from './classify-response';
import type { CredentialsProvider } from './credentials';
import { OAUTH_TOKEN_PATH } from './endpoints';
import { GenesysTokenError } from './errors';
import { getGenesysHttpClient } from './http-client';
import { redactAnswer, redactFailure } from './redact';
import { baseUrlOverridesFromEnvironment, type GenesysBaseUrls, genesysBaseUrls } from './regions';
import { tokenFailureHoldMs, tokenLifetime } from './token-policy';
import type { GenesysCredentials, GenesysFailure } from './types';

/** An access token and what it belongs to. */
export interface GenesysAccessToken {
  accessToken: string;
  clientId: string;
  /** The credentials' region (or domain): the API host of the calls made with this token. */
  region: string;
  /** Epoch ms: when Genesys stops accepting it. */
  expiresAt: number;
  /** Epoch ms: from here on a new token is fetched (10 % of its lifetime left, at most 5 minutes). */
  renewAt: number;
}

export const RENEWAL_FRACTION = 0.1;
export const MAX_RENEWAL_MARGIN_MS = 5 * 60_000;

/** How long before expiry a token is renewed: 10 % of its lifetime, at most 5 minutes. */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(lifetimeMs * RENEWAL_FRACTION, MAX_RENEWAL_MARGIN_MS);
}

/** `expires_in` is checked by {@link tokenLifetime}: an odd value is clamped, not a reason to fail. */
const TokenAnswerSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.unknown(),
});

// Module level: survives warm invocations and is shared by every provider of the same client and host.
const tokens = new Map<string, GenesysAccessToken>();
const requests = new Map<string, Promise<GenesysAccessToken>>();
/** The last token-endpoint failure per client and host, shared with every caller until `until`. */
const failures = new Map<string, { failure: GenesysFailure; until: number; inARow: number }>();

/** Tests: forget every cached token and failure. */
export function resetTokenCache(): void {
  tokens.clear();
  requests.clear();
  failures.clear();
}

export interface TokenProviderOptions {
  credentials: CredentialsProvider;
  /** Base URL overrides; default GENESYS_API_BASE_URL / GENESYS_LOGIN_BASE_URL. Else the credentials' region. */
  baseUrls?: Partial<GenesysBaseUrls>;
  http?: AxiosInstance;
  now?: () => number;
  /** The login host answered 429: it holds token requests this long (ms), and the client its pacer too. */
  onThrottled?: (holdMs: number) => void;
}

type TokenAnswer = { ok: true; token: GenesysAccessToken } | { ok: false; failure: GenesysFailure };

/**
 * OAuth client-credentials tokens (docs/genesys-api-facts.md, "OAuth client credentials"), cached per client id
 * and login host, renewed before expiry, one token request in flight for all concurrent callers.
 * A 401 from the token endpoint reloads the credentials once (rotation) before it is final. A failure is
 * shared with every caller for a while (its Retry-After, else 1 s doubling to 30 s per failure in a row),
 * so a failing or throttling endpoint gets one request per interval, not one per send.
 * Failures are thrown as GenesysTokenError carrying the classified outcome; credential and
 * configuration errors pass through. No token or secret ever appears in an error.
 */
export class TokenProvider {
  private readonly credentials: CredentialsProvider;
  private readonly overrides: Partial<GenesysBaseUrls>;
  private readonly http: AxiosInstance | undefined;
  private readonly now: () => number;
  private readonly onThrottled: ((holdMs: number) => void) | undefined;

  constructor(options: TokenProviderOptions) {
    this.onThrottled = options.onThrottled;
    this.credentials = options.credentials;
    this.overrides = options.baseUrls ?? baseUrlOverridesFromEnvironment();
    this.http = options.http;
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<GenesysAccessToken> {
    const credentials = await this.credentials.get();
    const loginBaseUrl = this.loginBaseUrlFor(credentials);
    const key = cacheKey(credentials.clientId, loginBaseUrl);
    const cached = tokens.get(key);
    if (cached !== undefined && this.now() < cached.renewAt) return cached;
    // No await between the look-up and the registration: concurrent callers join one request.
    let pending = requests.get(key);
    const held = failures.get(key);
    if (pending === undefined && held !== undefined && this.now() < held.until) {
      pending = Promise.reject(new GenesysTokenError(sharedFailure(held.failure, held.until - this.now())));
    }
    if (pending === undefined) {
      const request = this.issue(credentials, loginBaseUrl)
        .then(
          (token) => {
            failures.delete(key);
            return token;
          },
          (error: unknown) => {
            if (error instanceof GenesysTokenError) this.remember(key, error.failure);
            throw error;
          },
        )
        .finally(() => {
          if (requests.get(key) === request) requests.delete(key);
        });
      requests.set(key, request);
      pending = request;
    }
    try {
      return await pending;
    } catch (error) {
      // Renewal failed but the old token has not expired yet: it still works.
      const current = tokens.get(key);
      if (current !== undefined && this.now() < current.expiresAt) return current;
      throw error;
    }
  }

  /** Drops `accessToken` from the cache (after an API 401), unless a newer token already replaced it. */
  invalidate(accessToken: string): void {
    for (const [key, token] of tokens) {
      if (token.accessToken === accessToken) tokens.delete(key);
    }
  }

  private remember(key: string, failure: GenesysFailure): void {
    const inARow = (failures.get(key)?.inARow ?? 0) + 1;
    const retryAfter = failure.kind === 'throttled' ? failure.retryAfterSeconds : undefined;
    const holdMs = tokenFailureHoldMs(inARow, retryAfter);
    failures.set(key, { failure, until: this.now() + holdMs, inARow });
    if (failure.kind === 'throttled') this.onThrottled?.(holdMs);
  }

  private loginBaseUrlFor(credentials: GenesysCredentials): string {
    return genesysBaseUrls(credentials.region, this.overrides).loginBaseUrl;
  }

  private async issue(credentials: GenesysCredentials, loginBaseUrl: string): Promise<GenesysAccessToken> {
    const first = await this.requestToken(credentials, loginBaseUrl);
    if (first.ok) return first.token;
    if (first.failure.error.status !== 401) throw new GenesysTokenError(first.failure);
    // Rejected: the secret may have been rotated since we read it.
    const fresh = await this.credentials.reload();
    if (fresh.clientId === credentials.clientId && fresh.clientSecret === credentials.clientSecret) {
      throw new GenesysTokenError(
        rejected(first.failure, credentials.clientId, 'the reloaded credentials are the same'),
      );
    }
    const second = await this.requestToken(fresh, this.loginBaseUrlFor(fresh));
    if (second.ok) return second.token;
    if (second.failure.error.status !== 401) throw new GenesysTokenError(second.failure);
    throw new GenesysTokenError(
      rejected(second.failure, fresh.clientId, 'also after reloading the credentials'),
    );
  }

  private async requestToken(credentials: GenesysCredentials, loginBaseUrl: string): Promise<TokenAnswer> {
    const url = `${loginBaseUrl}${OAUTH_TOKEN_PATH}`;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    const secrets = [credentials.clientSecret, basic];
    const requestedAt = this.now();
    let answer: { status: number; headers: Record<string, unknown>; data: unknown };
    try {
      answer = await (this.http ?? getGenesysHttpClient()).post(url, 'grant_type=client_credentials', {
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    } catch (error) {
      return { ok: false, failure: redactFailure(classifyNetworkError(error, `POST ${url}`), secrets) };
    }
    // Redacted before classifying: classification cuts long bodies, and a cut secret escapes redaction.
    const outcome = classifyResponse(redactAnswer(answer, secrets), this.now());
    if (outcome.kind !== 'sent') {
      const failure = {
        ...outcome,
        error: { ...outcome.error, message: `POST ${url}: ${outcome.error.message}` },
      };
      return { ok: false, failure: redactFailure(failure, secrets) };
    }
    const body = TokenAnswerSchema.safeParse(outcome.data);
    if (!body.success) {
      // Not Genesys' answer (a proxy page?): worth another try later, not a verdict on the message.
      const message = `POST ${url} answered ${outcome.status} without an access_token`;
      return { ok: false, failure: { kind: 'transient', error: { status: outcome.status, message } } };
    }
    const lifetime = tokenLifetime(body.data.expires_in);
    if (lifetime.odd !== undefined) {
      logger.warn(
        `Genesys token endpoint answered an odd lifetime: ${lifetime.odd}; the token is renewed as if it lived ${lifetime.seconds} s (Genesys tokens live 5 min to 48 h)`,
        { clientId: credentials.clientId, loginBaseUrl },
      );
    }
    const lifetimeMs = lifetime.seconds * 1000;
    const expiresAt = requestedAt + lifetimeMs;
    const token: GenesysAccessToken = {
      accessToken: body.data.access_token,
      clientId: credentials.clientId,
      region: credentials.region,
      expiresAt,
      renewAt: expiresAt - renewalMarginMs(lifetimeMs),
    };
    tokens.set(cacheKey(credentials.clientId, loginBaseUrl), token);
    return { ok: true, token };
  }
}

function cacheKey(clientId: string, loginBaseUrl: string): string {
  return `${clientId} ${loginBaseUrl}`;
}

/** The remembered failure as a caller who arrives during the hold sees it: throttled for what remains. */
function sharedFailure(failure: GenesysFailure, remainingMs: number): GenesysFailure {
  const seconds = Math.ceil(remainingMs / 1000);
  const message = `${failure.error.message} (the token endpoint's last answer, shared for ${seconds} s more)`;
  return failure.kind === 'throttled'
    ? { ...failure, retryAfterSeconds: seconds, error: { ...failure.error, message } }
    : { ...failure, error: { ...failure.error, message } };
}

function rejected(failure: GenesysFailure, clientId: string, why: string): GenesysFailure {
  return {
    kind: 'permanent',
    error: {
      ...failure.error,
      message: `Genesys rejected the OAuth client "${clientId}" (${why}): ${failure.error.message}`,
    },
  };
}
