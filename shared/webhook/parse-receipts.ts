import * as z from 'zod/mini';
import { messageIdProblem } from '../status/message-id';
import type { ReceiptEvent } from '../status/types';
import { ENGLISH_MESSAGES } from '../validation/english-messages';
import { type ReceiptIssue, ReceiptParseError } from './errors';
import {
  EVENT_MESSAGE_STATUSES,
  type EventMessageStatus,
  isEventMessageStatus,
  mapGenesysStatus,
  OPEN_RECEIPT_STATUSES,
  type OpenReceiptStatus,
} from './receipt-status';

/** A notification understood but with nothing to record (inbound message, queued, removed…), for the log. */
export interface SkippedNotice {
  genesysMessageId?: string;
  status?: string;
  why: string;
  /** A status Genesys added after this code was written: worth a warning, never worth losing the rest. */
  unknownStatus?: true;
}

export interface ParsedReceipts {
  events: ReceiptEvent[];
  skipped: SkippedNotice[];
}

/** Reasons kept in a history entry: enough to explain a failure, bounded so a record stays small. */
const MAX_REASON_LENGTH = 500;
const MAX_ISSUES = 10;

/** A Genesys message id the status store can key on (the store's own rule, so a bad id is a 400, not a 500). */
const messageIdSchema = z.string().check(
  z.superRefine((value, context) => {
    const problem = messageIdProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }),
);
const conversationIdSchema = z.string().check(z.refine((value) => value.trim() !== '', 'must not be blank'));

// Objects strip keys they do not name: Genesys adds fields over time and we rely only on these.
const reasonSchema = z.object({ code: z.optional(z.string()), message: z.optional(z.string()) });
const channelSchema = z.object({ time: z.optional(z.string()) });
const directionSchema = z.pipe(
  z.transform((value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value)),
  z.enum(['inbound', 'outbound'], { error: 'expected "Inbound" or "Outbound"' }),
);
const common = {
  channel: z.optional(channelSchema),
  conversationId: z.optional(conversationIdSchema),
};

const receiptSchema = z.object({
  type: z.literal('Receipt'),
  id: messageIdSchema,
  status: z.enum(OPEN_RECEIPT_STATUSES),
  reasons: z.optional(z.array(reasonSchema)),
  isFinalReceipt: z.optional(z.boolean()),
  direction: z.optional(directionSchema),
  ...common,
});

const contentMessageSchema = z
  .object({
    type: z.enum(['Text', 'Structured']),
    id: z.optional(messageIdSchema),
    direction: directionSchema,
    ...common,
  })
  .check(
    z.superRefine((message, context) => {
      if (message.direction === 'outbound' && message.id === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['id'],
          message: 'an outbound message needs its Genesys id',
        });
      }
    }),
  );

/** Typing indicators and other channel events: understood, nothing to record. */
const channelEventSchema = z.object({ type: z.literal('Event') });

const openMessagingSchema = z.discriminatedUnion('type', [
  receiptSchema,
  contentMessageSchema,
  channelEventSchema,
]);

const errorInfoSchema = z.object({ code: z.optional(z.string()), message: z.optional(z.string()) });

const eventMessageSchema = z.object({
  messageId: z.optional(messageIdSchema),
  // The SDK's topic typings name the message as `message: { id }`; the blueprint sample as `messageId`.
  message: z.optional(z.object({ id: z.optional(messageIdSchema) })),
  // Any string: one status we do not know must not cost the event's other receipts (checked per message).
  messageStatus: z.optional(z.string().check(z.maxLength(100))),
  messageTime: z.optional(z.string()),
  errorInfo: z.optional(errorInfoSchema),
});

/** `v2.users.{id}.conversations.messages`, `v2.routing.queues.{id}.conversations.messages` (pattern or concrete id). */
export const CONVERSATION_MESSAGES_TOPIC = /^v2\.(users|routing\.queues)\.[^.\s]+\.conversations\.messages$/;
export const GENESYS_PARTNER_SOURCE_PREFIX = 'aws.partner/genesys.com';

const conversationMessageEventSchema = z.object({
  id: z.optional(z.string()),
  'detail-type': z
    .string()
    .check(
      z.regex(
        CONVERSATION_MESSAGES_TOPIC,
        'expected a v2.users|routing.queues.{id}.conversations.messages topic',
      ),
    ),
  source: z
    .string()
    .check(
      z.startsWith(
        GENESYS_PARTNER_SOURCE_PREFIX,
        `expected a source starting with ${GENESYS_PARTNER_SOURCE_PREFIX}`,
      ),
    ),
  time: z.optional(z.string()),
  detail: z.object({
    timestamp: z.optional(z.string()),
    eventBody: z.object({
      id: z.optional(conversationIdSchema),
      participants: z.optional(z.array(z.object({ messages: z.optional(z.array(eventMessageSchema)) }))),
    }),
  }),
});

function issuesOf(error: z.core.$ZodError): ReceiptIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, subject: string): T {
  const result = schema.safeParse(input, ENGLISH_MESSAGES);
  if (!result.success) throw new ReceiptParseError(subject, issuesOf(result.error));
  return result.data;
}

/** An ISO-8601 time from Genesys' own time when it is one, else when we received the notification. */
function isoTime(candidates: readonly (string | undefined)[], receivedAt: string): string {
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const millis = Date.parse(candidate);
    if (Number.isFinite(millis)) return new Date(millis).toISOString();
  }
  return receivedAt;
}

function describeReasons(reasons: readonly { code?: string; message?: string }[]): string | undefined {
  const text = reasons
    .map((reason) => [reason.code, reason.message].filter(Boolean).join(': '))
    .filter((line) => line.length > 0)
    .join('; ');
  if (text.length === 0) return undefined;
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
}

/** Leaves out absent optional fields (and empty reason lists) so stored records stay clean. */
function receiptEvent(
  required: Pick<ReceiptEvent, 'genesysMessageId' | 'status' | 'source' | 'at'>,
  optional: Pick<ReceiptEvent, 'conversationId' | 'final' | 'reasons' | 'reason'>,
): ReceiptEvent {
  const event: ReceiptEvent = { ...required };
  if (optional.conversationId !== undefined) event.conversationId = optional.conversationId;
  if (optional.final !== undefined) event.final = optional.final;
  if (optional.reasons !== undefined && optional.reasons.length > 0) event.reasons = optional.reasons;
  if (optional.reason !== undefined) event.reason = optional.reason;
  return event;
}

function failureReason(status: string, described: string | undefined): string {
  return described ?? `Genesys reported ${status} without a reason`;
}

/**
 * One Open Messaging outbound-webhook notification (a normalized message) → receipt events.
 * `Receipt` → its mapped status; an outbound `Text`/`Structured` message → `sent` (Genesys dispatched it);
 * inbound messages and channel `Event`s → nothing. Throws {@link ReceiptParseError} for unknown shapes.
 */
export function parseOpenMessagingNotification(body: unknown, receivedAt: string): ParsedReceipts {
  const message = parseWith(openMessagingSchema, body, 'Open Messaging notification');
  if (message.type === 'Event') {
    return { events: [], skipped: [{ why: 'a channel event (typing, presence): no delivery status' }] };
  }
  const at = isoTime([message.channel?.time], receivedAt);
  if (message.type === 'Receipt') {
    if (message.direction === 'inbound') {
      return {
        events: [],
        skipped: [
          { genesysMessageId: message.id, status: message.status, why: 'a receipt for an inbound message' },
        ],
      };
    }
    return receiptEvents(message.id, message.status, {
      at,
      source: 'webhook',
      conversationId: message.conversationId,
      final: message.isFinalReceipt,
      reasonList: message.reasons ?? [],
    });
  }
  if (message.direction === 'inbound') {
    return { events: [], skipped: [{ genesysMessageId: message.id, why: 'an inbound (customer) message' }] };
  }
  // The superRefine above guarantees the id of an outbound message.
  const genesysMessageId = message.id as string;
  return {
    events: [
      receiptEvent(
        { genesysMessageId, status: 'sent', source: 'webhook', at },
        { conversationId: message.conversationId },
      ),
    ],
    skipped: [],
  };
}

function receiptEvents(
  genesysMessageId: string,
  genesysStatus: OpenReceiptStatus | EventMessageStatus,
  details: {
    at: string;
    source: ReceiptEvent['source'];
    conversationId?: string;
    final?: boolean;
    reasonList: readonly { code?: string; message?: string }[];
  },
): ParsedReceipts {
  const mapping = mapGenesysStatus(genesysStatus);
  if ('skip' in mapping) {
    return { events: [], skipped: [{ genesysMessageId, status: genesysStatus, why: mapping.skip }] };
  }
  const described = describeReasons(details.reasonList);
  const codes = details.reasonList.flatMap((reason) => (reason.code ? [reason.code] : []));
  const event = receiptEvent(
    { genesysMessageId, status: mapping.status, source: details.source, at: details.at },
    {
      conversationId: details.conversationId,
      final: details.final,
      reasons: codes,
      reason: mapping.status === 'failed' ? failureReason(genesysStatus, described) : described,
    },
  );
  return { events: [event], skipped: [] };
}

/**
 * A conversation message event forwarded by Genesys' Amazon EventBridge integration → receipt events,
 * one per message with a status (duplicates across participants collapsed).
 * Throws {@link ReceiptParseError} for unknown shapes.
 */
export function parseConversationMessageEvent(event: unknown, receivedAt: string): ParsedReceipts {
  const parsed = parseWith(conversationMessageEventSchema, event, 'conversation message event');
  const body = parsed.detail.eventBody;
  const result: ParsedReceipts = { events: [], skipped: [] };
  const seen = new Set<string>();
  const issues: ReceiptIssue[] = [];
  for (const [p, participant] of (body.participants ?? []).entries()) {
    for (const [m, message] of (participant.messages ?? []).entries()) {
      const genesysMessageId = message.messageId ?? message.message?.id;
      if (message.messageStatus === undefined) {
        result.skipped.push({ genesysMessageId, why: 'a message without messageStatus' });
        continue;
      }
      if (genesysMessageId === undefined) {
        issues.push({
          path: `detail.eventBody.participants.${p}.messages.${m}.messageId`,
          message: 'a message with a messageStatus needs messageId (or message.id)',
        });
        continue;
      }
      if (!isEventMessageStatus(message.messageStatus)) {
        result.skipped.push({
          genesysMessageId,
          status: message.messageStatus,
          why: `unknown messageStatus (known: ${EVENT_MESSAGE_STATUSES.join(', ')}): not recorded`,
          unknownStatus: true,
        });
        continue;
      }
      const key = `${genesysMessageId}\u0000${message.messageStatus}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const one = receiptEvents(genesysMessageId, message.messageStatus, {
        at: isoTime([message.messageTime, parsed.detail.timestamp, parsed.time], receivedAt),
        source: 'eventbridge',
        conversationId: body.id,
        reasonList: message.errorInfo ? [message.errorInfo] : [],
      });
      result.events.push(...one.events);
      result.skipped.push(...one.skipped);
    }
  }
  if (issues.length > 0) {
    throw new ReceiptParseError('conversation message event', issues.slice(0, MAX_ISSUES));
  }
  return result;
}
