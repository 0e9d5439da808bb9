import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type EventBridgeStandIn, startEventBridgeStandIn } from '../../local/eventbridge-stand-in';
import { type HttpGateway, startHttpGateway } from '../../local/http-gateway';
import type { BotDefinition } from '../../shared/bot/bot-config';
import { greetingsOf } from '../../shared/bot/create-bot-handler';
import { botSessionHooks } from '../../shared/bot/delivery-hooks';
import { DynamoBotSessionStore } from '../../shared/bot/dynamo-session-store';
import { eventBridgePublisher } from '../../shared/bot/eventbridge-publisher';
import { handleBotRequest } from '../../shared/bot/handle-bot-request';
import { DeliveryService } from '../../shared/delivery/delivery-service';
import { DEFAULT_RETRY_POLICY } from '../../shared/delivery/retry-policy';
import type { ApiGatewayEvent } from '../../shared/http/api-gateway';
import { logger } from '../../shared/observability/telemetry';
import { staticWebhookSecrets } from '../../shared/webhook/webhook-secret';
import { type DeliveryHarness, startDeliveryHarness } from '../support/delivery-harness';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/dynalite';
import { registerSecret } from '../support/log-capture';

export const BOT_SECRET = 'bot-connection-secret-4f9e2a';
export const BOT_PREVIOUS_SECRET = 'bot-connection-previous-7c1d0b';
export const BOT_SECRET_HEADER = 'X-Bot-Connector-Secret';
registerSecret(BOT_SECRET);
registerSecret(BOT_PREVIOUS_SECRET);

export const BOT_ID = 'order-confirmation-bot';
export const BUS = 'bot-test-bus';
export const TIMEOUT_MINUTES = 30;

export const BOTS: BotDefinition[] = [
  {
    id: BOT_ID,
    name: 'Order confirmation',
    provider: 'Tests',
    versions: [
      {
        version: '1',
        supportedLanguages: ['en-us'],
        intents: [{ name: 'OrderConfirmed', entities: [{ name: 'orderId', type: 'String' }] }],
        greeting: [{ text: 'Hi! Let me look up your order.' }],
      },
      { version: '2', supportedLanguages: ['en-us', 'es'], intents: [{ name: 'OrderConfirmed' }] },
    ],
  },
];

export interface BotHarness {
  harness: DeliveryHarness;
  gateway: HttpGateway;
  eventBridge: EventBridgeStandIn;
  sessions: DynamoBotSessionStore;
  delivery: DeliveryService;
  /** Moves the service's and the sandbox's clocks forward together. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * The bot side end to end over loopback: the sandbox plays Genesys (customer, outgoing endpoint with its
 * session rules), the bot request handler behind a local API Gateway, dynalite, and the EventBridge
 * stand-in receiving the real PutEvents calls. One shared clock moves session expiry on both sides.
 */
export async function startBotHarness(): Promise<BotHarness> {
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  const eventBridge = await startEventBridgeStandIn();
  let gatewayUrl = '';
  const harness = await startDeliveryHarness({
    now,
    rateLimit: false,
    botConnector: {
      // Filled in once the gateway listens (below): the sandbox reads it per call.
      get uri() {
        return `${gatewayUrl}/botconnector`;
      },
      secretHeader: BOT_SECRET_HEADER,
      secret: BOT_SECRET,
      botId: BOT_ID,
      botVersion: '1',
      sessionTimeoutMinutes: TIMEOUT_MINUTES,
      retries: 0,
    },
  });
  const sessions = new DynamoBotSessionStore({
    tableName: harness.tableName,
    client: harness.dynamo.client,
    now,
  });
  const client = new EventBridgeClient({
    endpoint: eventBridge.url,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
  const deps = {
    bots: BOTS,
    greetings: greetingsOf(BOTS),
    secretHeader: BOT_SECRET_HEADER,
    secrets: staticWebhookSecrets(BOT_SECRET, BOT_PREVIOUS_SECRET),
    sessions,
    store: harness.store,
    publisher: eventBridgePublisher(BUS, () => client),
    logger,
  };
  const invoke = async (event: unknown) => handleBotRequest(event as ApiGatewayEvent, deps);
  const gateway = await startHttpGateway({
    routes: [
      { method: 'GET', resource: '/botconnector/bots', invoke },
      { method: 'GET', resource: '/botconnector/bots/{botId}', invoke },
      { method: 'POST', resource: '/botconnector/messages', invoke },
    ],
  });
  gatewayUrl = gateway.url;
  const delivery = new DeliveryService({
    store: harness.store,
    genesys: () => harness.genesys,
    retryQueue: async () => {
      throw new Error('no retry expected in the bot tests');
    },
    scheduler: async () => {
      throw new Error('no schedule expected in the bot tests');
    },
    policy: DEFAULT_RETRY_POLICY,
    leaseMs: 30_000,
    botSessions: botSessionHooks(sessions, harness.store),
  });
  return {
    harness,
    gateway,
    eventBridge,
    sessions,
    delivery,
    advance: (ms) => {
      offsetMs += ms;
    },
    close: async () => {
      client.destroy();
      await gateway.close();
      await eventBridge.close();
      await harness.close();
    },
  };
}
