import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, EventBridgeEvent } from 'aws-lambda';
import { httpApiEvent, restApiEvent } from '../../local/api-gateway-events';

const WEBHOOK_PATH = '/webhooks/genesys';

import { isForward } from '../../shared/status/message-status';
import type { ReceiptEvent, StatusStore } from '../../shared/status/types';
import type { WebhookLogger } from '../../shared/webhook/types';

export const SECRET = 'whsec-current-0123456789';
export const PREVIOUS_SECRET = 'whsec-previous-9876543210';

/** An in-memory applyReceipt with the store's rule: only a forward move is applied. */
export class FakeReceiptStore implements Pick<StatusStore, 'applyReceipt'> {
  readonly calls: ReceiptEvent[] = [];
  readonly statuses = new Map<string, ReceiptEvent['status']>();
  failWith: Error | undefined;

  async applyReceipt(event: ReceiptEvent): Promise<'applied' | 'ignored'> {
    this.calls.push(event);
    if (this.failWith) throw this.failWith;
    if (!isForward(this.statuses.get(event.genesysMessageId), event.status)) return 'ignored';
    this.statuses.set(event.genesysMessageId, event.status);
    return 'applied';
  }
}

/** Collects everything logged, so tests can check what never reaches the logs. */
export class RecordingLogger implements WebhookLogger {
  readonly lines: { level: string; message: string; attributes: Record<string, unknown>[] }[] = [];
  debug(message: string, ...attributes: Record<string, unknown>[]): void {
    this.lines.push({ level: 'debug', message, attributes });
  }
  info(message: string, ...attributes: Record<string, unknown>[]): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, ...attributes: Record<string, unknown>[]): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, ...attributes: Record<string, unknown>[]): void {
    this.lines.push({ level: 'error', message, attributes });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}

const channel = {
  id: 'integration-1',
  platform: 'Open',
  type: 'Private',
  messageId: 'provider-1',
  to: { id: 'customer-1' },
  from: { id: 'integration-1' },
  time: '2026-11-25T10:00:01.000Z',
};

/** A receipt exactly as the sandbox (and Genesys) posts it. */
export function receiptBody(
  genesysMessageId: string,
  status: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: genesysMessageId,
    channel,
    type: 'Receipt',
    status,
    isFinalReceipt: status === 'Read' || status === 'Failed',
    direction: 'Outbound',
    conversationId: 'conversation-1',
    ...extra,
  };
}

/** The outbound message itself, posted when Genesys dispatched it. */
export function outboundMessageBody(genesysMessageId: string, type: 'Text' | 'Structured' = 'Text') {
  return {
    id: genesysMessageId,
    channel,
    type,
    text: 'Would you like to confirm your order?',
    direction: 'Outbound',
    conversationId: 'conversation-1',
  };
}

/** The webhook route's REST API (v1) event, with the body exactly as given (already base64 when flagged). */
export function apiGatewayV1Event(
  body: string | null,
  headers: Record<string, string>,
  options: { isBase64Encoded?: boolean; method?: string } = {},
): APIGatewayProxyEvent {
  const event = restApiEvent({
    method: options.method ?? 'POST',
    path: WEBHOOK_PATH,
    resource: WEBHOOK_PATH,
    headers,
  });
  return { ...event, body, isBase64Encoded: options.isBase64Encoded ?? false };
}

/** The webhook route's HTTP API (v2) event, with the body exactly as given. */
export function apiGatewayV2Event(
  body: string | undefined,
  headers: Record<string, string>,
  options: { isBase64Encoded?: boolean; method?: string } = {},
): APIGatewayProxyEventV2 {
  const event = httpApiEvent({
    method: options.method ?? 'POST',
    path: WEBHOOK_PATH,
    resource: WEBHOOK_PATH,
    headers,
  });
  return {
    ...event,
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export interface EventMessage {
  messageId?: string;
  message?: { id?: string; name?: string };
  messageStatus?: string;
  messageTime?: string;
  errorInfo?: Record<string, unknown>;
}

/** A conversation message event as Genesys' EventBridge integration delivers it. */
export function conversationMessageEvent(
  participants: { purpose?: string; messages?: EventMessage[] }[],
  overrides: Partial<EventBridgeEvent<string, unknown>> = {},
): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: 'c2d1e7f0-5a4b-4b1f-8a1e-0a1b2c3d4e5f',
    'detail-type': 'v2.users.{id}.conversations.messages',
    source: 'aws.partner/genesys.com/cloud/0b3f8ee1-org/genesys-events',
    account: '123456789012',
    time: '2026-11-25T10:00:05Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      topicName: 'v2.users.7d0b1c2e-user.conversations.messages',
      version: '2',
      eventBody: {
        id: 'conversation-9',
        participants: participants.map((participant, index) => ({
          id: `participant-${index}`,
          purpose: participant.purpose ?? 'customer',
          state: 'connected',
          ...(participant.messages ? { messages: participant.messages } : {}),
        })),
      },
      metadata: { CorrelationId: 'a8c9d1e2-correlation' },
      timestamp: '2026-11-25T10:00:04.500Z',
    },
    ...overrides,
  };
}
