/** Posts signed webhook payloads like Genesys: retried on 429, 5xx, timeout or network error, a fixed delay apart. */
import http from 'node:http';
import https from 'node:https';
import {
  SIGNATURE_HEADER,
  WEBHOOK_MAX_RETRIES,
  WEBHOOK_RETRY_DELAY_MS,
  WEBHOOK_TIMEOUT_MS,
} from './constants';
import { hubSignature } from './signature';
import type { WebhookDelivery, WebhookOptions } from './types';

type AttemptResult = { status: number } | { error: string };

export interface PosterCounters {
  onAttempt(ok: boolean): void;
  onGaveUp(): void;
}

export class ReceiptPoster {
  private readonly inFlight = new Set<Promise<WebhookDelivery>>();
  private readonly controller = new AbortController();

  constructor(
    private webhook: WebhookOptions | undefined,
    private readonly counters: PosterCounters,
  ) {}

  get configured(): boolean {
    return this.webhook !== undefined;
  }

  setWebhook(webhook: WebhookOptions | undefined): void {
    this.webhook = webhook;
  }

  /** Signs and posts `payload` (with retries). Rejects when no webhook is configured. */
  post(payload: unknown): Promise<WebhookDelivery> {
    const webhook = this.webhook;
    if (!webhook)
      return Promise.reject(new Error('sandbox: no webhook configured (options.webhook or setWebhook)'));
    const delivery = this.deliver(webhook, JSON.stringify(payload));
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Aborts attempts in flight and the waits between them. */
  close(): void {
    this.controller.abort();
  }

  private async deliver(webhook: WebhookOptions, rawBody: string): Promise<WebhookDelivery> {
    const maxRetries = webhook.maxRetries ?? WEBHOOK_MAX_RETRIES;
    const signature = hubSignature(rawBody, webhook.secret);
    let last: AttemptResult = { error: 'not attempted' };
    for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
      if (this.controller.signal.aborted) break;
      last = await this.attempt(webhook, rawBody, signature);
      const ok = 'status' in last && last.status >= 200 && last.status < 300;
      this.counters.onAttempt(ok);
      if (ok) return { ok: true, attempts: attempt, lastStatus: (last as { status: number }).status };
      // Genesys retries only what may succeed later: 429, 5xx and network failures.
      if ('status' in last && last.status !== 429 && last.status < 500) {
        return this.gaveUp(attempt, last);
      }
      if (attempt <= maxRetries) await this.wait(webhook.retryDelayMs ?? WEBHOOK_RETRY_DELAY_MS);
    }
    return this.gaveUp(maxRetries + 1, last);
  }

  private gaveUp(attempts: number, last: AttemptResult): WebhookDelivery {
    this.counters.onGaveUp();
    return 'status' in last
      ? { ok: false, attempts, lastStatus: last.status }
      : { ok: false, attempts, error: last.error };
  }

  private attempt(webhook: WebhookOptions, rawBody: string, signature: string): Promise<AttemptResult> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(webhook.url);
      } catch {
        resolve({ error: `invalid webhook url ${webhook.url}` });
        return;
      }
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(
        url,
        {
          method: 'POST',
          // A fresh connection per attempt: nothing lingers after close() on either side.
          agent: false,
          timeout: webhook.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
          signal: this.controller.signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(rawBody),
            [SIGNATURE_HEADER]: signature,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
          response.on('error', (error) => resolve({ error: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error('webhook timed out')));
      request.on('error', (error) => resolve({ error: error.message }));
      request.end(rawBody);
    });
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.controller.signal;
      const timer = setTimeout(done, ms);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}
