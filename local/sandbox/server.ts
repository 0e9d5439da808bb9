/**
 * startSandbox: the HTTP server, the request pipeline (auth → rate limit → faults → route → faults after
 * acceptance) and the control API.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BodyTooLargeError, readBody } from '../http-server';
import { BotConnectorSide } from './bot-connector-side';
import {
  DEFAULT_CLIENTS,
  DEFAULT_INTEGRATION_ID,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RECEIPTS,
  DEFAULT_SEED,
  DEFAULT_TOKEN_EXPIRES_IN_SECONDS,
  MAX_BODY_BYTES,
} from './constants';
import { errorBody, rateLimitErrorBody } from './error-body';
import { FaultQueue, faultLabel, isAfterAccept, RandomFaultSource, type RequestCategory } from './faults';
import { tokenFingerprint } from './fingerprint';
import { sendJson, sendJsonSlowly } from './http-io';
import { MessageStore, type NewMessage, type StoredMessage } from './message-store';
import { outboundMessage, receiptMessage, receiptStatusFor } from './normalized-message';
import { RateLimiter } from './rate-limiter';
import { ReceiptPoster } from './receipt-poster';
import { categoryOf, isUnauthenticated, matchRoute } from './router';
import { type RequestContext, replyError, replyJson } from './routes/context';
import { handleBotSessions, handleCustomerMessage } from './routes/customer-routes';
import {
  handleAgentless,
  handleBotConnector,
  handleConversationMessage,
  type SendDeps,
} from './routes/send-routes';
import {
  handleBulk,
  handleGetConversation,
  handleGetMessage,
  handleGetMessageDetails,
} from './routes/status-routes';
import { handleToken } from './routes/token-route';
import { Stats } from './stats';
import { parseBearer, TokenService } from './token-service';
import type { Fault, GenesysMessageStatus, Sandbox, SandboxOptions, WebhookDelivery } from './types';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const stats = new Stats();
  const tokens = new TokenService(
    options.clients ?? DEFAULT_CLIENTS,
    options.tokenExpiresInSeconds ?? DEFAULT_TOKEN_EXPIRES_IN_SECONDS,
    now,
  );
  const limiter = new RateLimiter(options.rateLimit ?? { ...DEFAULT_RATE_LIMIT }, now);
  const clientLimiter = new RateLimiter(options.clientRateLimit ?? false, now);
  const faultQueue = new FaultQueue();
  const randomFaults = new RandomFaultSource(options.randomFaults, options.seed ?? DEFAULT_SEED);
  const poster = new ReceiptPoster(options.webhook, {
    onAttempt: (ok) => stats.webhookAttempt(ok),
    onGaveUp: () => stats.webhookGaveUp(),
  });
  const store = new MessageStore(options.receipts ?? DEFAULT_RECEIPTS, (message, status) =>
    announceStatus(message, status),
  );
  const sockets = new Set<Socket>();
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;

  /** Posts without waiting; the outcome lands in stats.webhookPosts. */
  function postInBackground(payload: unknown): void {
    if (poster.configured) void poster.post(payload).catch(() => undefined);
  }

  function announceStatus(message: StoredMessage, status: GenesysMessageStatus): void {
    const receiptStatus = receiptStatusFor(status);
    if (!receiptStatus) return;
    const receipt = receiptMessage(message, receiptStatus);
    message.receipts.push(receipt);
    postInBackground(receipt);
  }

  const botSide = new BotConnectorSide(options.botConnector, now);
  const sendDeps: SendDeps = {
    botSide,
    integrationId: options.integrationId ?? DEFAULT_INTEGRATION_ID,
    conversationFor: (key, reuse) => store.conversationFor(key, reuse),
    accept(input: NewMessage, progress: boolean): StoredMessage {
      const message = store.accept(input, progress && !closed);
      if (progress && !closed) postInBackground(outboundMessage(message));
      return message;
    },
  };

  /** Waits `ms`; false when the sandbox closed meanwhile (the request must then do nothing more). */
  function delay(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve(!closed);
        }, ms),
        resolve: () => resolve(false),
      };
      entry.timer.unref();
      delays.add(entry);
    });
  }

  /** The queued fault for this request, else the random ones. */
  function faultsFor(category: RequestCategory): Fault[] {
    const injected = faultQueue.take(category);
    return injected ? [injected] : randomFaults.draw(category);
  }

  /** Applies the faults that strike before the route. True when the request is answered. */
  async function applyBeforeAccept(ctx: RequestContext, faults: readonly Fault[]): Promise<boolean> {
    for (const fault of faults) {
      stats.fault();
      switch (fault.type) {
        case 'latency':
          if (!(await delay(fault.ms))) return true;
          break;
        case 'status':
          replyWithFault(ctx, fault);
          return true;
        case 'reset':
          ctx.request.socket.resetAndDestroy();
          return true;
        case 'hang':
          // Never answered: close() destroys the socket.
          return true;
        case 'drip':
          // Only ever after acceptance (isAfterAccept).
          break;
      }
    }
    return false;
  }

  /** A fault's error answer in Genesys' format (429s count as throttled). */
  function replyWithFault(ctx: RequestContext, fault: Extract<Fault, { type: 'status' }>): void {
    if (fault.status === 429) stats.throttled();
    const headers: Record<string, string> =
      fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    replyError(
      ctx,
      {
        status: fault.status,
        ...(fault.code !== undefined ? { code: fault.code } : {}),
        ...(fault.message !== undefined ? { message: fault.message } : {}),
      },
      headers,
    );
  }

  /**
   * The route has run (a valid send is accepted, counted and progressing): the faults now decide what
   * becomes of its answer. The accepted message keeps the name of the fault, the ground truth for "why
   * was this sent twice".
   */
  async function spoilAnswer(
    ctx: RequestContext,
    faults: readonly Fault[],
    answer: { status: number; body: unknown; headers: Record<string, string> },
    accepted: StoredMessage | undefined,
  ): Promise<void> {
    for (const fault of faults) {
      const label = faultLabel(fault);
      stats.fault();
      stats.afterAcceptFault(label);
      if (accepted)
        accepted.answerFault = accepted.answerFault ? `${accepted.answerFault} + ${label}` : label;
      switch (fault.type) {
        case 'latency':
          if (!(await delay(fault.ms))) return;
          break;
        case 'status':
          replyWithFault({ ...ctx, deliver: undefined }, fault);
          return;
        case 'reset':
          ctx.request.socket.resetAndDestroy();
          return;
        case 'hang':
          return;
        case 'drip':
          await sendJsonSlowly(
            ctx.response,
            { ...answer, contextId: ctx.contextId },
            fault.chunkBytes ?? 16,
            () => delay(fault.intervalMs),
          );
          return;
      }
    }
    sendJson(ctx.response, answer.status, answer.body, ctx.contextId, answer.headers);
  }

  /**
   * Bearer check then the per-token and per-client rate limits. True when the request is answered (401 or
   * 429). A request counts against both limits only when both admit it.
   */
  function refuseUnauthenticatedOrThrottled(ctx: RequestContext): boolean {
    const token = parseBearer(ctx.request.headers.authorization);
    if (!token) {
      replyError(ctx, {
        status: 401,
        code: 'authentication.required',
        message: 'No authentication bearer token specified in authorization header.',
      });
      return true;
    }
    const checked = tokens.check(token);
    if (!checked.ok) {
      replyError(ctx, { status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' });
      return true;
    }
    ctx.tokenFingerprint = tokenFingerprint(token);
    stats.tokenUse(ctx.tokenFingerprint);
    const byToken = limiter.check(token);
    const byClient = clientLimiter.check(checked.clientId);
    if (byToken.admitted && byClient.admitted) {
      limiter.record(token);
      clientLimiter.record(checked.clientId);
      return false;
    }
    // The limit that holds the request longest speaks (its figures in the body, its wait in Retry-After).
    const tokenWait = byToken.admitted ? 0 : byToken.retryAfterSeconds;
    const clientWait = byClient.admitted ? 0 : byClient.retryAfterSeconds;
    const client = clientWait > tokenWait;
    stats.throttled(client);
    const limit = client ? clientLimiter.current : limiter.current;
    replyJson(
      ctx,
      429,
      rateLimitErrorBody(limit ? limit.limit : 0, limit ? limit.windowMs : 0, ctx.contextId),
      { 'retry-after': String(Math.max(tokenWait, clientWait)) },
    );
    return true;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const contextId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const route = matchRoute(request.method, url.pathname);
    stats.request(route.name);
    let rawBody: Buffer;
    try {
      rawBody = await readBody(request, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, errorBody({ status: 413, message: error.message, contextId }), contextId);
      }
      return;
    }
    const ctx: RequestContext = { request, response, contextId, route, rawBody, tokenFingerprint: '' };
    if (route.name === 'notFound') {
      replyError(ctx, { status: 404, message: `No sandbox route for ${request.method} ${url.pathname}.` });
      return;
    }
    const category = categoryOf(route.name);
    if (!isUnauthenticated(route.name) && refuseUnauthenticatedOrThrottled(ctx)) return;
    const faults = category ? faultsFor(category) : [];
    if (
      await applyBeforeAccept(
        ctx,
        faults.filter((fault) => !isAfterAccept(fault)),
      )
    )
      return;
    const after = faults.filter(isAfterAccept);
    let deps = sendDeps;
    if (after.length > 0) {
      let accepted: StoredMessage | undefined;
      deps = { ...sendDeps, accept: (input, progress) => (accepted = sendDeps.accept(input, progress)) };
      ctx.deliver = (status, body, headers) => {
        spoilAnswer(ctx, after, { status, body, headers }, accepted).catch(() => ctx.response.destroy());
      };
    }
    switch (route.name) {
      case 'token':
        return handleToken(ctx, tokens, stats);
      case 'conversationMessage':
        return handleConversationMessage(ctx, deps);
      case 'agentless':
        return handleAgentless(ctx, deps);
      case 'botConnector':
        return handleBotConnector(ctx, deps);
      case 'getMessage':
        return handleGetMessage(ctx, store);
      case 'getMessageDetails':
        return handleGetMessageDetails(ctx, store);
      case 'bulk':
        return handleBulk(ctx, store);
      case 'getConversation':
        return handleGetConversation(ctx, store);
      case 'customerMessage':
        return handleCustomerMessage(ctx, botSide);
      case 'botSessions':
        return handleBotSessions(ctx, botSide);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A sandbox bug must still answer like Genesys would, never leave the client waiting.
      const contextId = randomUUID();
      const message = `sandbox internal error: ${error instanceof Error ? error.message : String(error)}`;
      sendJson(response, 500, errorBody({ status: 500, message, contextId }), contextId);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      closed = true;
      store.close();
      poster.close();
      for (const entry of delays) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      delays.clear();
      server.close(() => resolve());
      // Hanging and keep-alive connections would hold server.close() open: end them now.
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  }

  return {
    url,
    port,
    close,
    bot: botSide,
    injectFaults: (faults, injectOptions) => faultQueue.inject(faults, injectOptions?.on ?? 'send'),
    pendingFaults: () => faultQueue.size,
    setRateLimit: (rateLimit) => limiter.set(rateLimit),
    setClientRateLimit: (rateLimit) => clientLimiter.set(rateLimit),
    setRandomFaults: (config) => randomFaults.set(config),
    setClients: (clients) => tokens.setClients(clients),
    revokeTokens: () => tokens.revokeAll(),
    setWebhook: (webhook) => poster.setWebhook(webhook),
    setMessageStatus: (genesysMessageId, status) => {
      store.setStatus(genesysMessageId, status);
    },
    postReceipt(genesysMessageId, status, receiptOptions): Promise<WebhookDelivery> {
      const message = store.get(genesysMessageId);
      const receipt = receiptMessage(
        message ?? {
          // A receipt for a message the sandbox never accepted: Genesys can send those too.
          id: genesysMessageId,
          conversationId: randomUUID(),
          providerMessageId: genesysMessageId,
          integrationId: sendDeps.integrationId,
          from: sendDeps.integrationId,
          to: 'unknown',
          sentAt: new Date().toISOString(),
          normalizedType: 'Text',
        },
        status,
        receiptOptions,
      );
      message?.receipts.push(receipt);
      return poster.post(receipt);
    },
    webhookIdle: () => poster.idle(),
    stats: () => stats.snapshot(),
    messages: () => store.list(),
    deliveryCounts: () => store.deliveryCounts(),
    duplicates: () =>
      [...store.deliveryCounts()].filter(([, count]) => count > 1).map(([key, count]) => ({ key, count })),
    resetStats: () => {
      stats.reset();
      store.resetCounts();
    },
  };
}
