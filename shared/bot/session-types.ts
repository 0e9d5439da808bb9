/** A bot session as the status table keeps it (docs/bot-sessions.md). */
export interface BotSession {
  botSessionId: string;
  botId: string;
  botVersion: string;
  languageCode: string;
  conversationId: string;
  parameters?: Record<string, string>;
  /** Minutes, as Genesys sent it (`botSessionTimeout`). */
  timeoutMinutes: number;
  openedAt: string;
  lastSeenAt: string;
  /** lastSeenAt + timeout: Genesys refuses outgoing messages after it. */
  sessionExpiresAt: string;
  /** Genesys' id of the session's first incoming message (the one a greeting answers). */
  firstMessageId: string;
  closedAt?: string;
  closeReason?: string;
  /** Structured messages we sent into the session, oldest first: what a click answers. */
  offers: BotOffer[];
}

/** One structured message we sent into a session, with the buttons it offered (text + payload). */
export interface BotOffer {
  messageId: string;
  at: string;
  /** `JSON.stringify([text, payload])` per button: what identifies a click (Genesys' rule). */
  buttons: string[];
}

/** What a customer message tells about its session. */
export type IncomingSessionFields = Pick<
  BotSession,
  | 'botSessionId'
  | 'botId'
  | 'botVersion'
  | 'languageCode'
  | 'conversationId'
  | 'parameters'
  | 'timeoutMinutes'
> & { messageId: string };

/** A customer's click, recorded on the message that offered the button. */
export interface BotAnswer {
  type: string;
  text: string;
  payload: string;
  at: string;
}

export type SessionLookup =
  | { open: true; session: BotSession }
  | { open: false; reason: 'none' | 'closed' | 'expired'; session?: BotSession };

/** `receivedAt` is the first arrival's, so a retried message publishes the same event. */
export interface IncomingClaim {
  state: 'new' | 'pending' | 'published';
  receivedAt: string;
}

/** What the send path needs of sessions: find the open one, close it, remember offered buttons. */
export interface SessionDeliveryStore {
  get(botSessionId: string): Promise<BotSession | undefined>;
  /** The newest session of a conversation, open or not (and why not). */
  findByConversation(conversationId: string): Promise<SessionLookup>;
  /** False when it was closed already (or is unknown). */
  close(botSessionId: string, reason: string): Promise<boolean>;
  recordOffer(botSessionId: string, offer: BotOffer): Promise<void>;
}

/** The session half of the status table (one conditional write per change, no transactions). */
export interface BotSessionStore extends SessionDeliveryStore {
  /** Opens the session or refreshes it (last seen, expiry); `first` when this message opened it. */
  recordIncoming(input: IncomingSessionFields): Promise<{ session: BotSession; first: boolean }>;
  /** Idempotency on Genesys' message id: `new` the first time, then `pending` until published. */
  claimIncoming(genesysMessageId: string, botSessionId: string): Promise<IncomingClaim>;
  markPublished(genesysMessageId: string): Promise<void>;
  /** Sets `answer` on our send record; false when there is no such record. */
  recordAnswer(messageId: string, answer: BotAnswer): Promise<boolean>;
}
