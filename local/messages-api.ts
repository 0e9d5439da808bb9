import type { MergedStatus } from '../shared/status/types';

/**
 * A small client of the service's HTTP API (README "Sending", "Status"): POST /messages and
 * GET /messages/{id}, against the local stack or, with a signer, a deployed REST API stage.
 */

export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  /** The JSON body, or undefined when the body was empty or not JSON (then see `text`). */
  body: T | undefined;
  text: string;
}

/** What a signer needs of a request; it returns the headers to send (the given ones plus its own). */
export interface SignableRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export type RequestSigner = (request: SignableRequest) => Promise<Record<string, string>>;

/** The answer body of POST /messages (README "Answers"); errors carry `error`. */
export interface SendAnswerBody {
  messageId?: string;
  status?: string;
  attempts?: number;
  genesysMessageId?: string;
  nextAttemptAt?: string;
  sendAt?: string;
  lastError?: { code?: string; message?: string };
  error?: { code: string; message: string; [detail: string]: unknown };
}

export interface MessagesApiOptions {
  signer?: RequestSigner;
  /** Per request; default 30 s (API Gateway gives up after 29 s). */
  timeoutMs?: number;
}

export class MessagesApi {
  private readonly base: string;

  /** `baseUrl`: the local stack's URL, or a deployed stage's invoke URL (`https://…/v1`). */
  constructor(
    baseUrl: string,
    private readonly options: MessagesApiOptions = {},
  ) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`the API URL must be http or https, got "${baseUrl}"`);
    }
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }

  get messagesUrl(): string {
    return `${this.base}/messages`;
  }

  statusUrl(messageId: string): string {
    return `${this.base}/messages/${encodeURIComponent(messageId)}`;
  }

  send(request: unknown, options: { idempotencyKey?: string } = {}): Promise<ApiAnswer<SendAnswerBody>> {
    return this.call('POST', '/messages', JSON.stringify(request), {
      'content-type': 'application/json',
      ...(options.idempotencyKey !== undefined && { 'idempotency-key': options.idempotencyKey }),
    });
  }

  status(messageId: string): Promise<ApiAnswer<MergedStatus & SendAnswerBody>> {
    return this.call('GET', `/messages/${encodeURIComponent(messageId)}`);
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const url = new URL(`${this.base}${path}`);
    const base = { accept: 'application/json', ...headers };
    const signed = this.options.signer
      ? await this.options.signer({ method, url, headers: base, ...(body !== undefined && { body }) })
      : base;
    const response = await fetch(url, {
      method,
      headers: signed,
      ...(body !== undefined && { body }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let parsed: T | undefined;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as T);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}
