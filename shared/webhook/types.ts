import type { StatusStore } from '../status/types';
import type { WebhookForwarder } from './forward-to-middleware';
import type { WebhookSecretSource } from './webhook-secret';

/** The logging the webhook needs; Powertools' Logger fits it. */
export interface WebhookLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

export interface WebhookDependencies {
  store: Pick<StatusStore, 'applyReceipt'>;
  secrets: WebhookSecretSource;
  /** Forwarding mode: every verified post also goes to the org's middleware, whose answer Genesys gets. */
  forwarder?: WebhookForwarder;
}

/** What the EventBridge path returns (EventBridge ignores it; tests and logs read it). */
export interface WebhookEventResult {
  received: number;
  applied: number;
  /** Why nothing was recorded: not a Genesys shape, refused by the store, or not an event this function handles. */
  dropped?: 'unparseable' | 'refused' | 'unsupported';
  /** For an event of a kind this function does not take: a stable code and the kind it got. */
  error?: { code: 'unsupported_event'; message: string };
}
