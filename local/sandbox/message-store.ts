/** Accepted messages, their MessageData status, the sent → delivered → read progression, and delivery counts. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import { canonicalJson } from '../../shared/delivery/request-hash';
import { conversationMessagePath } from '../../shared/genesys/endpoints';
import { type MessageChannelInfo, type NormalizedMessage, outboundMessage } from './normalized-message';
import type { AcceptedMessage, GenesysMessageStatus, ReceiptTiming } from './types';

/** An accepted message as the sandbox keeps it: what `messages()` shows, plus channel and receipts. */
export interface StoredMessage extends MessageChannelInfo, AcceptedMessage {
  messengerType: string;
  fromAddress?: string;
  toAddress?: string;
  receipts: NormalizedMessage[];
}

export type NewMessage = Omit<
  StoredMessage,
  'id' | 'providerMessageId' | 'status' | 'receivedAt' | 'sentAt' | 'receipts'
>;

/** How the store plans a status change: `setTimeout` (unref'd); tests may fire plans in any order. */
export interface Planner {
  plan(action: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
}

const timerPlanner: Planner = {
  plan: (action, ms) => setTimeout(action, ms).unref(),
  cancel: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Called on every status change, to post the matching receipt. */
export type StatusListener = (message: StoredMessage, status: GenesysMessageStatus) => void;

/** Genesys message ids are 32 lowercase hex characters. */
export function newMessageId(): string {
  return randomBytes(16).toString('hex');
}

export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();
  /** Each conversation's messages, oldest first: a listing reads its own, not every message the sandbox holds. */
  private readonly byConversation = new Map<string, StoredMessage[]>();
  /** The planned next status change of each message still progressing. */
  private readonly timers = new Map<string, unknown>();
  private readonly counts = new Map<string, number>();
  /** Bot sessions and agentless address pairs keep their conversation, like Genesys. */
  private readonly conversations = new Map<string, string>();

  constructor(
    private receipts: ReceiptTiming | false,
    private readonly onStatus: StatusListener,
    private readonly planner: Planner = timerPlanner,
  ) {}

  /** The conversation for this key, new unless `reuse` and one exists. */
  conversationFor(key: string, reuse: boolean): string {
    const existing = this.conversations.get(key);
    if (reuse && existing) return existing;
    const id = randomUUID();
    this.conversations.set(key, id);
    return id;
  }

  /** Records an accepted send (counts its delivery key) and starts its receipt progression. */
  accept(input: NewMessage, progress: boolean): StoredMessage {
    const now = new Date().toISOString();
    const message: StoredMessage = {
      ...input,
      id: newMessageId(),
      providerMessageId: newMessageId(),
      status: 'sent',
      receivedAt: now,
      sentAt: now,
      receipts: [],
    };
    this.messages.set(message.id, message);
    const conversation = this.byConversation.get(message.conversationId);
    if (conversation === undefined) this.byConversation.set(message.conversationId, [message]);
    else conversation.push(message);
    const key = deliveryKey(message.route, message.path, message.body);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (progress) this.scheduleProgression(message);
    return message;
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** The messages of one conversation, oldest first. */
  inConversation(conversationId: string): StoredMessage[] {
    return [...(this.byConversation.get(conversationId) ?? [])];
  }

  /** Sets the status now and cancels the planned progression, so a forced status is not overwritten. */
  setStatus(id: string, status: GenesysMessageStatus): StoredMessage {
    const message = this.messages.get(id);
    if (!message) throw new Error(`sandbox: no accepted message has id ${id}`);
    this.cancelProgression(id);
    this.changeStatus(message, status);
    return message;
  }

  list(): AcceptedMessage[] {
    return [...this.messages.values()].map((message) => ({
      id: message.id,
      conversationId: message.conversationId,
      route: message.route,
      path: message.path,
      body: structuredClone(message.body),
      status: message.status,
      receivedAt: message.receivedAt,
      tokenFingerprint: message.tokenFingerprint,
      ...(message.answerFault !== undefined && { answerFault: message.answerFault }),
    }));
  }

  deliveryCounts(): Map<string, number> {
    return new Map(this.counts);
  }

  resetCounts(): void {
    this.counts.clear();
  }

  close(): void {
    for (const id of [...this.timers.keys()]) this.cancelProgression(id);
  }

  private scheduleProgression(message: StoredMessage): void {
    if (this.receipts === false) return;
    const { deliveredAfterMs, readAfterMs } = this.receipts;
    // Read is planned only once delivered has happened: two timers planned together may fire in either
    // order when the event loop is late (Node runs every expired timer of one duration list at a time).
    this.plan(message.id, deliveredAfterMs, () => {
      this.changeStatus(message, 'delivery-success');
      if (readAfterMs === undefined) this.timers.delete(message.id);
      else
        this.plan(message.id, Math.max(0, readAfterMs - deliveredAfterMs), () =>
          this.changeStatus(message, 'read'),
        );
    });
  }

  private plan(id: string, ms: number, action: () => void): void {
    this.timers.set(id, this.planner.plan(action, ms));
  }

  private cancelProgression(id: string): void {
    if (this.timers.has(id)) this.planner.cancel(this.timers.get(id));
    this.timers.delete(id);
  }

  private changeStatus(message: StoredMessage, status: GenesysMessageStatus): void {
    message.status = status;
    if (status === 'read') this.timers.delete(message.id);
    this.onStatus(message, status);
  }
}

export function deliveryKey(route: string, path: string, body: unknown): string {
  return `${route} ${path} ${canonicalJson(body)}`;
}

/** MessageData as Genesys answers it for a stored message. */
export function messageData(message: StoredMessage): Models.MessageData & { textBody?: string } {
  return {
    id: message.id,
    providerMessageId: message.providerMessageId,
    conversationId: message.conversationId,
    direction: 'outbound',
    messengerType: message.messengerType,
    status: message.status,
    ...(message.fromAddress !== undefined ? { fromAddress: message.fromAddress } : {}),
    ...(message.toAddress !== undefined ? { toAddress: message.toAddress } : {}),
    ...(message.text !== undefined ? { textBody: message.text } : {}),
    timestamp: message.sentAt,
    normalizedMessage: outboundMessage(message),
    ...(message.receipts.length > 0 ? { normalizedReceipts: message.receipts } : {}),
    selfUri: conversationMessagePath(message.conversationId, message.id),
  };
}
