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

/** Called on every status change, to post the matching receipt. */
export type StatusListener = (message: StoredMessage, status: GenesysMessageStatus) => void;

/** Genesys message ids are 32 lowercase hex characters. */
export function newMessageId(): string {
  return randomBytes(16).toString('hex');
}

export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly timers = new Map<string, NodeJS.Timeout[]>();
  private readonly counts = new Map<string, number>();
  /** Bot sessions and agentless address pairs keep their conversation, like Genesys. */
  private readonly conversations = new Map<string, string>();

  constructor(
    private receipts: ReceiptTiming | false,
    private readonly onStatus: StatusListener,
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
    const key = deliveryKey(message.route, message.path, message.body);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (progress) this.scheduleProgression(message);
    return message;
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
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
    const timers = [setTimeout(() => this.changeStatus(message, 'delivery-success'), deliveredAfterMs)];
    if (readAfterMs !== undefined) {
      // Read never comes before delivered, whatever the configured times.
      timers.push(
        setTimeout(() => this.changeStatus(message, 'read'), Math.max(readAfterMs, deliveredAfterMs)),
      );
    }
    for (const timer of timers) timer.unref();
    this.timers.set(message.id, timers);
  }

  private cancelProgression(id: string): void {
    for (const timer of this.timers.get(id) ?? []) clearTimeout(timer);
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
