/**
 * Genesys' side of the Digital Bot Connector, played by the sandbox: the integration's sessions, a customer
 * who writes and taps buttons (each message POSTed to the bot's `/messages` with the connection secret,
 * retried on 5xx as Genesys does), and the session rules of the outgoing endpoint (409 codes).
 */
import { randomUUID } from 'node:crypto';

export interface BotIntegrationOptions {
  /** The bot's Bot Connector URI, e.g. `http://127.0.0.1:3000/botconnector` (no trailing slash needed). */
  uri: string;
  secretHeader: string;
  secret: string;
  botId: string;
  botVersion: string;
  /** Default `en-us`. */
  languageCode?: string;
  /** `botSessionTimeout` in minutes; default 60. */
  sessionTimeoutMinutes?: number;
  /** Genesys retries a bot's 5xx: attempts after the first (default 3), this far apart (default 200 ms). */
  retries?: number;
  retryDelayMs?: number;
  /** Parameters the flow passes to the bot. */
  parameters?: Record<string, string>;
}

export interface GenesysBotSession {
  botSessionId: string;
  botId: string;
  botVersion: string;
  conversationId: string;
  languageCode: string;
  openedAt: number;
  expiresAt: number;
  closed?: { at: number; botState: 'Complete' | 'Failed'; intent?: string };
}

/** What the customer's message got from the bot: each attempt's status and the final answer. */
export interface BotCallResult {
  conversationId: string;
  botSessionId: string;
  messageId: string;
  attempts: number[];
  status: number;
  body: unknown;
}

export type CustomerInput =
  | { conversationId?: string; text: string }
  | {
      conversationId: string;
      buttonResponse: { type: 'Button' | 'QuickReply'; text: string; payload: string };
    };

export interface SessionRefusal {
  code:
    | 'session.not.found'
    | 'session.already.closed'
    | 'session.bot.id.mismatch'
    | 'session.bot.version.mismatch'
    | 'integration.not.active';
  message: string;
}

export class BotConnectorSide {
  private readonly sessions = new Map<string, GenesysBotSession>();
  private readonly byConversation = new Map<string, string>();
  private options: BotIntegrationOptions | undefined;
  private active = true;

  constructor(
    options: BotIntegrationOptions | undefined,
    private readonly now: () => number,
  ) {
    this.options = options;
  }

  configure(options: BotIntegrationOptions | undefined): void {
    this.options = options;
  }

  /** False when the sandbox plays no bot connector integration (customer() would throw). */
  get configured(): boolean {
    return this.options !== undefined;
  }

  setActive(active: boolean): void {
    this.active = active;
  }

  list(): GenesysBotSession[] {
    return [...this.sessions.values()].map((session) => ({ ...session }));
  }

  /** Genesys ends a session itself (the flow moved on, an agent took over). */
  end(botSessionId: string): void {
    const session = this.sessions.get(botSessionId);
    if (session !== undefined && session.closed === undefined) {
      session.closed = { at: this.now(), botState: 'Failed' };
    }
  }

  /** The session the next customer message goes to: the conversation's open one, or a new one. */
  private sessionFor(conversationId: string | undefined): GenesysBotSession {
    const options = this.required();
    const existingId = conversationId === undefined ? undefined : this.byConversation.get(conversationId);
    const existing = existingId === undefined ? undefined : this.sessions.get(existingId);
    if (existing !== undefined && existing.closed === undefined && existing.expiresAt > this.now())
      return existing;
    const openedAt = this.now();
    const session: GenesysBotSession = {
      botSessionId: randomUUID(),
      botId: options.botId,
      botVersion: options.botVersion,
      conversationId: conversationId ?? randomUUID(),
      languageCode: options.languageCode ?? 'en-us',
      openedAt,
      expiresAt: openedAt + (options.sessionTimeoutMinutes ?? 60) * 60_000,
    };
    this.sessions.set(session.botSessionId, session);
    this.byConversation.set(session.conversationId, session.botSessionId);
    return session;
  }

  /** The customer writes or taps: one IncomingMessageRequest to the bot, retried on 5xx with the same id. */
  async customer(input: CustomerInput): Promise<BotCallResult> {
    const options = this.required();
    const session = this.sessionFor(input.conversationId);
    const messageId = randomUUID();
    const body = {
      botId: session.botId,
      botVersion: session.botVersion,
      botSessionId: session.botSessionId,
      messageId,
      languageCode: session.languageCode,
      botSessionTimeout: options.sessionTimeoutMinutes ?? 60,
      genesysConversationId: session.conversationId,
      ...(options.parameters !== undefined && { parameters: options.parameters }),
      inputMessage:
        'text' in input
          ? { type: 'Text', text: input.text }
          : {
              type: 'Structured',
              text: input.buttonResponse.text,
              content: [{ contentType: 'ButtonResponse', buttonResponse: input.buttonResponse }],
            },
    };
    return this.post(session, messageId, body);
  }

  /** Posts a body as it is (tests: malformed bodies, another secret); no retries. */
  async postRaw(body: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const options = this.required();
    const response = await fetch(`${options.uri.replace(/\/+$/, '')}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: response.status, body: await readJson(response) };
  }

  /** Re-sends an earlier message with the same id (what Genesys does after a timeout or a 5xx). */
  async repost(result: BotCallResult, body: unknown): Promise<BotCallResult> {
    const session = this.sessions.get(result.botSessionId);
    if (session === undefined) throw new Error(`unknown session ${result.botSessionId}`);
    return this.post(session, result.messageId, body);
  }

  private async post(session: GenesysBotSession, messageId: string, body: unknown): Promise<BotCallResult> {
    const options = this.required();
    const attempts: number[] = [];
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${options.uri.replace(/\/+$/, '')}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [options.secretHeader]: options.secret },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const answer = await readJson(response);
      attempts.push(response.status);
      if (response.status < 500 || attempt >= retries) {
        this.applyAnswer(session, response.status, answer);
        return {
          conversationId: session.conversationId,
          botSessionId: session.botSessionId,
          messageId,
          attempts,
          status: response.status,
          body: answer,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 200));
    }
  }

  /** The bot's answer decides the session, as the flow does: Complete/Failed or a 4xx end it. */
  private applyAnswer(session: GenesysBotSession, status: number, answer: unknown): void {
    const state = (answer as { botState?: unknown } | undefined)?.botState;
    if (status >= 300) session.closed ??= { at: this.now(), botState: 'Failed' };
    else if (state === 'Complete' || state === 'Failed')
      session.closed ??= { at: this.now(), botState: state };
  }

  /** The outgoing endpoint's session rules; undefined when the send may go ahead. */
  check(body: { botId: string; botVersion: string; botSessionId: string }): SessionRefusal | undefined {
    const session = this.sessions.get(body.botSessionId);
    const ours = session !== undefined || body.botId === this.options?.botId;
    // Bots of other integrations (made-up sessions in tests and benches) are not this integration's business.
    if (!ours) return undefined;
    if (!this.active)
      return { code: 'integration.not.active', message: 'The bot connector integration is not active.' };
    if (session === undefined)
      return { code: 'session.not.found', message: `Bot session ${body.botSessionId} not found.` };
    if (session.closed !== undefined) {
      return {
        code: 'session.already.closed',
        message: `Bot session ${body.botSessionId} is already closed.`,
      };
    }
    if (session.expiresAt <= this.now()) {
      return { code: 'session.not.found', message: `Bot session ${body.botSessionId} expired.` };
    }
    if (session.botId !== body.botId) {
      return {
        code: 'session.bot.id.mismatch',
        message: `Bot session ${body.botSessionId} belongs to another bot.`,
      };
    }
    if (session.botVersion !== body.botVersion) {
      return {
        code: 'session.bot.version.mismatch',
        message: `Bot session ${body.botSessionId} belongs to another bot version.`,
      };
    }
    return undefined;
  }

  /** After an accepted outgoing message: Complete / Failed close the session. */
  accepted(body: { botSessionId: string; botState: string; intent?: string | undefined }): void {
    const session = this.sessions.get(body.botSessionId);
    if (session === undefined || session.closed !== undefined) return;
    if (body.botState === 'Complete' || body.botState === 'Failed') {
      session.closed = {
        at: this.now(),
        botState: body.botState,
        ...(body.intent !== undefined && { intent: body.intent }),
      };
    }
  }

  private required(): BotIntegrationOptions {
    if (this.options === undefined) {
      throw new Error('the sandbox has no bot connector integration: pass botConnector in its options');
    }
    return this.options;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}
