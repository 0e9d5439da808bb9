import type { AxiosInstance } from 'axios';
import { classifyNetworkError, classifyResponse, type HttpAnswer } from './classify-response';
import { type CredentialsProvider, credentialsFromEnvironment } from './credentials';
import { CredentialsUnavailableError, GenesysTokenError } from './errors';
import { getGenesysHttpClient, resetGenesysHttpClient } from './http-client';
import { PACED_CODE, pacerFromEnvironment, type RatePacer } from './rate-pacer';
import { redactAnswer, redactFailure } from './redact';
import { baseUrlOverridesFromEnvironment, type GenesysBaseUrls, genesysBaseUrls } from './regions';
import { type GenesysAccessToken, resetTokenCache, TokenProvider } from './token-provider';
import type { GenesysOutcome } from './types';

export type GenesysMethod = 'GET' | 'POST';

export interface GenesysClientOptions {
  credentials: CredentialsProvider;
  /** Base URL overrides (sandbox, proxy); default GENESYS_API_BASE_URL / GENESYS_LOGIN_BASE_URL, else the region's hosts. */
  baseUrls?: Partial<GenesysBaseUrls>;
  /** Default: the shared keep-alive instance (timeout GENESYS_TIMEOUT_MS). */
  http?: AxiosInstance;
  /** Clock for token expiry and Retry-After dates (tests). */
  now?: () => number;
  /** Paces calls and holds them after a 429 (process-wide in Lambda: see getGenesysClient). None by default. */
  pacer?: RatePacer;
}

export interface RequestOptions {
  /**
   * Longest wait for a pacing slot before giving up with a `throttled` outcome (code `paced`) that made no
   * Genesys call: an API caller should not wait long, a queue worker can. Default 10 s.
   */
  maxPacingWaitMs?: number;
  /**
   * Epoch ms of the hard deadline of the whole request (token, call, 401 renewal): no call starts with less
   * than {@link MIN_CALL_MS} left, and an abort signal ends whatever is still running then, a slowly
   * dripping answer included (axios' own timeout bounds only the wait for headers and idle time).
   */
  deadlineAt?: number;
  /** A call that must not be repeated blindly (a send): a failure after the request was written is `ambiguous`. */
  sendOnce?: boolean;
}

const DEFAULT_MAX_PACING_WAIT_MS = 10_000;
/** Least time left before the deadline for a call to start at all (the caller decides what is worth starting). */
export const MIN_CALL_MS = 250;
/** Error code of a call not made because the deadline was too close (no Genesys call: nothing to repeat). */
export const DEADLINE_CODE = 'deadline';

type Attempt<T> =
  | { unauthorized: false; outcome: GenesysOutcome<T> }
  | { unauthorized: true; accessToken: string; answer: HttpAnswer };

/**
 * Calls the Genesys Platform API with a cached client-credentials token.
 * Never throws for what Genesys or the network did: every answer becomes a GenesysOutcome
 * (sent / permanent / throttled / transient). A 401 invalidates the token and the call is tried once
 * more with a new one, then it is permanent. Throws only GenesysConfigurationError and
 * GenesysCredentialsError (our setup is wrong); the delivery code retries those within the retry budget,
 * so a message survives while an operator fixes the secret.
 */
export class GenesysClient {
  private readonly tokens: TokenProvider;
  private readonly overrides: Partial<GenesysBaseUrls>;
  private readonly http: AxiosInstance;
  private readonly now: () => number;
  private readonly pacer: RatePacer | undefined;

  constructor(options: GenesysClientOptions) {
    this.pacer = options.pacer;
    this.overrides = options.baseUrls ?? baseUrlOverridesFromEnvironment();
    this.http = options.http ?? getGenesysHttpClient();
    this.now = options.now ?? Date.now;
    this.tokens = new TokenProvider({
      credentials: options.credentials,
      baseUrls: this.overrides,
      http: this.http,
      now: this.now,
      // A 429 from the login host holds every call of this process, as one from the API host does.
      onThrottled: (holdMs) => this.pacer?.holdFor(holdMs),
    });
  }

  /** `path` is absolute on the API host (see endpoints.ts); `body` is sent as JSON with POST. */
  async request<T = unknown>(
    method: GenesysMethod,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<GenesysOutcome<T>> {
    if (!path.startsWith('/')) throw new TypeError(`Genesys API path must start with "/", got "${path}"`);
    const first = await this.attempt<T>(method, path, body, options);
    if (!first.unauthorized) return first.outcome;
    this.tokens.invalidate(first.accessToken);
    const second = await this.attempt<T>(method, path, body, options);
    if (!second.unauthorized) return second.outcome;
    this.tokens.invalidate(second.accessToken);
    const final = classifyResponse<T>(redactAnswer(second.answer, [second.accessToken]), this.now());
    if (final.kind === 'sent') return final; // cannot happen: a 401 is never sent
    const error = {
      ...final.error,
      message: `Genesys answered 401 to a new token as well: ${final.error.message}`,
    };
    return redactFailure({ kind: 'permanent', error }, [second.accessToken]);
  }

  private async attempt<T>(
    method: GenesysMethod,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<Attempt<T>> {
    const { deadlineAt } = options;
    let maxWaitMs = options.maxPacingWaitMs ?? DEFAULT_MAX_PACING_WAIT_MS;
    if (deadlineAt !== undefined)
      maxWaitMs = Math.max(0, Math.min(maxWaitMs, deadlineAt - this.now() - MIN_CALL_MS));
    if (this.pacer !== undefined && (await this.pacer.acquire(maxWaitMs)) === undefined) {
      const seconds = this.pacer.delayMs() / 1000;
      const message = pacedMessage(seconds, this.pacer);
      return {
        unauthorized: false,
        outcome: { kind: 'throttled', retryAfterSeconds: seconds, error: { code: PACED_CODE, message } },
      };
    }
    let token: GenesysAccessToken;
    try {
      token = await this.tokens.getToken();
    } catch (error) {
      if (error instanceof GenesysTokenError) return { unauthorized: false, outcome: error.failure };
      if (error instanceof CredentialsUnavailableError) {
        return {
          unauthorized: false,
          outcome: { kind: 'transient', error: { code: error.code, message: error.message } },
        };
      }
      throw error;
    }
    const url = `${genesysBaseUrls(token.region, this.overrides).apiBaseUrl}${path}`;
    const hasBody = method === 'POST' && body !== undefined;
    // Checked right before the call (the token fetch may have taken a while): a call that could outlive
    // the deadline, and with it the caller's lease, is not started.
    const leftMs = deadlineAt === undefined ? undefined : deadlineAt - this.now();
    if (leftMs !== undefined && leftMs < MIN_CALL_MS) {
      const message = `not called: ${Math.max(0, leftMs)} ms left before the attempt's deadline`;
      return { unauthorized: false, outcome: { kind: 'transient', error: { code: DEADLINE_CODE, message } } };
    }
    const classify = { sendOnce: options.sendOnce === true };
    let answer: HttpAnswer;
    try {
      answer = await this.http.request({
        method,
        url,
        ...(leftMs !== undefined && { signal: AbortSignal.timeout(leftMs) }),
        data: hasBody ? body : undefined,
        headers: {
          Authorization: `Bearer ${token.accessToken}`,
          ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    } catch (error) {
      const failure = classifyNetworkError(error, `${method} ${path}`, classify);
      return { unauthorized: false, outcome: redactFailure(failure, [token.accessToken]) };
    }
    if (answer.status === 401) return { unauthorized: true, accessToken: token.accessToken, answer };
    // Redacted before classifying: classification cuts long bodies, and a cut secret escapes redaction.
    const outcome = classifyResponse<T>(redactAnswer(answer, [token.accessToken]), this.now(), classify);
    if (outcome.kind === 'throttled' && this.pacer !== undefined) {
      // Everyone in this process waits out Genesys' Retry-After, not only the message that got the 429.
      this.pacer.holdFor((outcome.retryAfterSeconds ?? 1) * 1000);
    }
    return {
      unauthorized: false,
      outcome: outcome.kind === 'sent' ? outcome : redactFailure(outcome, [token.accessToken]),
    };
  }
}

let shared: GenesysClient | undefined;

/**
 * The process-wide client, built on first use from the environment (credentialsFromEnvironment,
 * base URL overrides, GENESYS_TIMEOUT_MS). A bad setup throws GenesysConfigurationError here.
 */
export function getGenesysClient(): GenesysClient {
  shared ??= new GenesysClient({ credentials: credentialsFromEnvironment(), pacer: pacerFromEnvironment() });
  return shared;
}

/** Tests: forget the shared client, its HTTP instance and every cached token. */
export function resetGenesysClient(): void {
  shared = undefined;
  resetGenesysHttpClient();
  resetTokenCache();
}

/** Why a call waits: Genesys' own Retry-After (the usual case after a 429), or this process's pace. */
function pacedMessage(seconds: number, pacer: RatePacer): string {
  const wait = `${seconds.toFixed(1)} s`;
  return pacer.gateMs() > 0
    ? `held back before calling Genesys: Genesys answered 429 with Retry-After, which holds every call of this instance for ${wait} more`
    : `held back before calling Genesys: this instance paces its calls at ${pacer.requestsPerMinute} per minute (GENESYS_MAX_REQUESTS_PER_MINUTE) and its next turn is ${wait} away`;
}
