import type { MergedStatus } from '../shared/status/types';
import { type ApiAnswer, MessagesApi, type SendAnswerBody } from './messages-api';
import type { Sandbox } from './sandbox';
import {
  formatHistoryLine,
  historyKey,
  isFinal,
  pacedEntries,
  receiptsOf,
  renderTable,
  shorten,
  throttledEntries,
} from './status-view';

/**
 * The local stack's demo: a burst of rich messages through the real HTTP API (the reference
 * "Order Confirmation" card to a bot session, quick replies, a carousel, the card as SMS text, a text, and
 * a send scheduled a few seconds ahead), followed to their final status with a progress display, then a
 * table of each message's final status, Genesys calls and receipts.
 */

export interface DemoMessage {
  /** The idempotency key, hence the message id. */
  id: string;
  /** What is sent to whom, for the table. */
  what: string;
  request: Record<string, unknown>;
}

export interface DemoOptions {
  /** The API's base URL (the local stack's `urls.api`). */
  apiUrl: string;
  write?: (text: string) => void;
  /** Redraw a progress bar in place (a terminal); otherwise only lines are printed. */
  tty?: boolean;
  /** Give up waiting for final statuses after this long; default 45 s. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** How far ahead the scheduled message is sent; default 5 s. */
  scheduleAheadMs?: number;
  /** For the closing line about what the sandbox saw. */
  sandbox?: Sandbox;
}

export interface DemoOutcome {
  message: DemoMessage;
  /** The answer to POST /messages. */
  answer: { status: number; body: SendAnswerBody | undefined };
  /** The last GET /messages/{id} answer, when the message was accepted. */
  final?: MergedStatus;
}

export interface DemoReport {
  outcomes: DemoOutcome[];
  /** Every accepted message reached read or failed before the timeout. */
  complete: boolean;
  elapsedMs: number;
  table: string;
}

const BOT_SESSION = {
  kind: 'botConnector',
  botId: 'order-bot',
  botVersion: '1',
  botSessionId: '6f1c2a57-1f0e-4c6b-9a53-0d2b7f4e8c11',
  languageCode: 'en-us',
};
const CONVERSATION = {
  kind: 'conversation',
  conversationId: 'b5c8e0a3-8d4e-4a5f-9f1e-2c7d3b6a9e10',
  communicationId: 'e2a7d4c1-3b9f-4e8a-a6d5-7f0c1b2e3d49',
};
const SMS = {
  kind: 'agentless',
  messengerType: 'sms',
  fromAddress: '+13175550100',
  toAddress: '+13175550199',
};

/** The reference card (README "Text fallback"). */
const ORDER_CONFIRMATION_CARD = {
  title: 'Order Confirmation',
  description: 'Would you like to confirm your order #12345?',
  actions: [
    { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
    { type: 'postback', text: 'No', payload: 'confirmed_no' },
  ],
};

/** The demo's send requests; the scheduled one is due `scheduleAheadMs` from `nowMs`, on a whole second. */
export function demoMessages(nowMs: number, scheduleAheadMs = 5000): DemoMessage[] {
  // at() expressions have whole seconds: a whole-second sendAt fires exactly then.
  const sendAt = new Date(Math.ceil((nowMs + scheduleAheadMs) / 1000) * 1000).toISOString();
  return [
    {
      id: 'order-12345-confirm',
      what: 'card → bot session (WhatsApp)',
      request: {
        idempotencyKey: 'order-12345-confirm',
        target: BOT_SESSION,
        channel: 'whatsapp',
        message: { card: ORDER_CONFIRMATION_CARD },
        metadata: { orderId: '12345' },
      },
    },
    {
      id: 'order-12345-feedback',
      what: 'quick replies → bot session',
      request: {
        idempotencyKey: 'order-12345-feedback',
        target: { ...BOT_SESSION, botSessionId: '0b7d9a1e-5c2f-4e3a-8d6b-3f1e2a9c7d40' },
        channel: 'webmessaging',
        message: {
          text: 'Thanks for your order!',
          quickReplies: {
            title: 'How was the delivery?',
            replies: [
              { text: 'Great', payload: 'delivery_great' },
              { text: 'Late', payload: 'delivery_late' },
              { text: 'Damaged', payload: 'delivery_damaged' },
            ],
          },
        },
      },
    },
    {
      id: 'autumn-collection',
      what: 'carousel of 3 cards → bot session (Messenger)',
      request: {
        idempotencyKey: 'autumn-collection',
        target: { ...BOT_SESSION, botSessionId: '7c3e1f9a-2b4d-4f6e-9a8c-5d1b3e7f2a60' },
        channel: 'facebook',
        message: {
          carousel: {
            cards: [
              shoe('Red running shoes', 'EUR 89', 'red'),
              shoe('Blue trail shoes', 'EUR 99', 'blue'),
              shoe('Green walking shoes', 'EUR 79', 'green'),
            ],
          },
        },
      },
    },
    {
      id: 'order-12345-sms',
      what: 'the same card as SMS text (fallback)',
      request: { idempotencyKey: 'order-12345-sms', target: SMS, message: { card: ORDER_CONFIRMATION_CARD } },
    },
    {
      id: 'order-12345-shipped',
      what: 'text → open conversation',
      request: {
        idempotencyKey: 'order-12345-shipped',
        target: CONVERSATION,
        message: { text: 'Your order #12345 has shipped: it arrives on Thursday.' },
      },
    },
    {
      id: 'order-12345-reminder',
      what: `text, scheduled ${Math.round(scheduleAheadMs / 1000)} s ahead → conversation`,
      request: {
        idempotencyKey: 'order-12345-reminder',
        target: CONVERSATION,
        message: { text: 'Reminder: your parcel arrives today between 10:00 and 12:00.' },
        sendAt,
      },
    },
  ];
}

function shoe(title: string, price: string, colour: string) {
  return {
    title,
    description: price,
    image: `https://cdn.example.com/shoes/${colour}.png`,
    actions: [
      { type: 'postback', text: `Buy the ${colour} pair`, payload: `buy_${colour}` },
      // Link texts differ too: Genesys wants text + payload unique across a carousel, links included.
      { type: 'link', text: `See the ${colour} pair`, url: `https://shop.example.com/shoes/${colour}` },
    ],
  };
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const api = new MessagesApi(options.apiUrl);
  const t0 = Date.now();
  const messages = demoMessages(t0, options.scheduleAheadMs);
  const labelWidth = Math.max(...messages.map((m) => m.id.length));
  const progress = new ProgressLine(write, options.tty === true, messages.length);
  const print = (line: string) => progress.print(line);

  print(`Sending ${messages.length} messages at once through POST ${options.apiUrl}/messages …`);
  const answers = await Promise.all(
    messages.map((message) =>
      api.send(message.request).then(
        (answer): DemoOutcome['answer'] => ({ status: answer.status, body: answer.body }),
        (error: unknown): DemoOutcome['answer'] => ({
          status: 0,
          body: { error: { code: 'network_error', message: (error as Error).message } },
        }),
      ),
    ),
  );
  const outcomes: DemoOutcome[] = messages.map((message, index) => ({ message, answer: answers[index]! }));
  for (const { message, answer } of outcomes)
    print(`  ${message.id.padEnd(labelWidth)}  → ${describeAnswer(answer)}`);
  print('');
  print('Progress (status changes as the service records them; time since the first send):');

  const printed = new Set<string>();
  const pending = new Set(outcomes.filter((o) => o.answer.status >= 200 && o.answer.status < 300));
  const deadline = t0 + (options.timeoutMs ?? 45_000);
  const settled = () => outcomes.length - pending.size;
  progress.update(settled(), Date.now() - t0);
  while (pending.size > 0 && Date.now() < deadline) {
    const round = await Promise.all(
      [...pending].map(async (outcome) => ({ outcome, answer: await readStatus(api, outcome.message.id) })),
    );
    const fresh: Array<{ label: string; entry: MergedStatus['history'][number] }> = [];
    for (const { outcome, answer } of round) {
      const status = answer?.body;
      if (answer?.status !== 200 || status === undefined) continue;
      outcome.final = status;
      for (const entry of status.history) {
        const key = `${outcome.message.id}|${historyKey(entry)}`;
        if (printed.has(key)) continue;
        printed.add(key);
        fresh.push({ label: outcome.message.id, entry });
      }
      if (isFinal(status.status, 'read')) pending.delete(outcome);
    }
    fresh.sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at));
    for (const { label, entry } of fresh) print(formatHistoryLine(label, entry, t0, labelWidth));
    progress.update(settled(), Date.now() - t0);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 200));
  }
  progress.done();

  const elapsedMs = Date.now() - t0;
  const table = demoTable(outcomes, t0);
  write(`\n${table}\n\n`);
  if (pending.size > 0) {
    write(
      `Not final after ${(elapsedMs / 1000).toFixed(1)} s: ${[...pending].map((o) => o.message.id).join(', ')}\n`,
    );
  } else {
    write(`All ${outcomes.length} messages final in ${(elapsedMs / 1000).toFixed(1)} s.\n`);
  }
  if (options.sandbox !== undefined) write(`${sandboxSummary(options.sandbox)}\n`);
  return { outcomes, complete: pending.size === 0, elapsedMs, table };
}

async function readStatus(
  api: MessagesApi,
  id: string,
): Promise<ApiAnswer<MergedStatus & SendAnswerBody> | undefined> {
  try {
    return await api.status(id);
  } catch {
    return undefined; // a failed poll is tried again next round
  }
}

function describeAnswer(answer: DemoOutcome['answer']): string {
  const body = answer.body;
  if (answer.status === 0) return `no answer: ${body?.error?.message}`;
  if (body?.error !== undefined)
    return `${answer.status} ${body.error.code}: ${shorten(body.error.message, 100)}`;
  const parts = [`${answer.status} ${body?.status ?? ''}`.trim()];
  if (body?.status === 'sent') parts.push(`Genesys id ${body.genesysMessageId}`);
  if (body?.status === 'scheduled') parts.push(`for ${body.sendAt}`);
  if (body?.status === 'retrying') {
    parts.push(
      `next attempt ${body.nextAttemptAt?.slice(11, 23)}Z (${shorten(body.lastError?.message ?? '', 70)})`,
    );
  }
  return parts.join(', ');
}

/** The closing table: one row per demo message. */
export function demoTable(outcomes: readonly DemoOutcome[], t0Ms: number): string {
  const rows = outcomes.map(({ message, answer, final }) => {
    if (final === undefined) {
      const error = answer.body?.error?.message ?? '';
      return [message.id, message.what, `HTTP ${answer.status}`, '-', '-', shorten(error, 80)];
    }
    return [
      message.id,
      message.what,
      final.status,
      String(final.attempts),
      receiptsOf(final.history).join(', ') || '-',
      pathOf(final, t0Ms),
    ];
  });
  return renderTable(['Message', 'What', 'Final', 'Calls', 'Receipts', 'How it went'], rows);
}

function pathOf(status: MergedStatus, t0Ms: number): string {
  const notes: string[] = [];
  const scheduled = status.history.find((entry) => entry.status === 'scheduled');
  const sent = status.history.find((entry) => entry.status === 'sent' && entry.source !== 'webhook');
  const at = (iso: string) => `+${((Date.parse(iso) - t0Ms) / 1000).toFixed(1)}s`;
  if (scheduled !== undefined && status.sendAt !== undefined)
    notes.push(`scheduled for ${at(status.sendAt)}`);
  const pacedHistory = pacedEntries(status.history);
  const paced = pacedHistory.length;
  // Held back either by Genesys' Retry-After (after another message's 429) or by our own pace.
  const gated = pacedHistory.filter((entry) => entry.reason?.includes('Retry-After') === true).length;
  if (gated > 0) notes.push(`held back for Genesys' Retry-After ×${gated}`);
  if (paced > gated) notes.push(`held back by our pace ×${paced - gated}`);
  const throttled = throttledEntries(status.history).length;
  if (throttled > 0) notes.push(`Genesys 429 ×${throttled}`);
  if (sent !== undefined) {
    notes.push(paced + throttled > 0 ? `sent by ${sent.source} ${at(sent.at)}` : `sent ${at(sent.at)}`);
  }
  if (status.status === 'failed')
    notes.push(shorten(status.lastError?.reason ?? status.lastError?.message ?? '', 60));
  return notes.join(', ');
}

function sandboxSummary(sandbox: Sandbox): string {
  const stats = sandbox.stats();
  const sends = stats.requests.botConnector + stats.requests.conversationMessage + stats.requests.agentless;
  const { ok, failed, gaveUp } = stats.webhookPosts;
  return (
    `Genesys sandbox: ${sends} send calls, ${stats.throttled} answered 429; ` +
    `${ok} signed webhook posts accepted, ${failed} refused${gaveUp > 0 ? `, ${gaveUp} given up` : ''}; ` +
    `duplicate deliveries: ${sandbox.duplicates().length}.`
  );
}

/** Lines scroll as usual; on a terminal, a progress bar stays on the last line. */
class ProgressLine {
  private bar = '';

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly total: number,
  ) {}

  print(line: string): void {
    this.write(this.tty && this.bar !== '' ? `\r\x1b[2K${line}\n${this.bar}` : `${line}\n`);
  }

  update(settled: number, elapsedMs: number): void {
    if (!this.tty) return;
    const width = 24;
    const filled = Math.round((settled / this.total) * width);
    this.bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${settled}/${this.total} final · ${(elapsedMs / 1000).toFixed(1)} s`;
    this.write(`\r\x1b[2K${this.bar}`);
  }

  done(): void {
    if (this.tty && this.bar !== '') this.write('\r\x1b[2K');
    this.bar = '';
  }
}
