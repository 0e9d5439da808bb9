import type { BotDefinition } from '../shared/bot/bot-config';

/** The bot the local stack answers for (the demo's story): it confirms orders. */
export const DEMO_BOT_ID = 'order-confirmation-bot';
export const DEMO_BOT_VERSION = '1';

export const DEMO_BOTS: BotDefinition[] = [
  {
    id: DEMO_BOT_ID,
    name: 'Order confirmation',
    provider: 'Genesys rich messaging (AWS)',
    description: 'Asks the customer to confirm an order and hands the answer to AWS.',
    versions: [
      {
        version: DEMO_BOT_VERSION,
        supportedLanguages: ['en-us'],
        intents: [
          { name: 'OrderConfirmed', entities: [{ name: 'orderId', type: 'String' }] },
          { name: 'OrderDeclined', entities: [{ name: 'orderId', type: 'String' }] },
        ],
        greeting: [{ text: 'Hi! Let me look up your order.' }],
      },
    ],
  },
];
