/**
 * Bounds of the send request, in one place. Genesys documents few limits for structured content, so
 * where it is silent the bound is ours: generous enough for real messages, small enough that a request
 * stays far below the Lambda/API Gateway payload limits and a text rendering can still fit a channel.
 * Lengths are JavaScript string lengths (UTF-16 code units), as Genesys counts them.
 */

/** Genesys `textBody` limits (docs/genesys-api-facts.md, "Text limits"): SMS 765, every other channel 2000. */
export const SMS_TEXT_MAX = 765;
export const TEXT_MAX = 2000;

/**
 * Idempotency keys become a DynamoDB key and part of an EventBridge Scheduler schedule name: 128 chars
 * of a URL-, header- and key-safe alphabet hold a UUID, an EventBridge event id or a namespaced business
 * key (`order:12345:confirm`). Scheduler names are shorter (64) and refuse `:`, so the scheduler derives
 * its name from the key rather than using it verbatim.
 */
export const IDEMPOTENCY_KEY_MAX = 128;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** Caller metadata is stored with the status record (never sent to Genesys): keep it small. */
export const METADATA_MAX_KEYS = 20;
export const METADATA_KEY_MAX = 64;
export const METADATA_VALUE_MAX = 512;

/** Genesys ids (bot session, conversation, communication) are UUIDs; bot ids and versions are short names. */
export const ID_MAX = 256;
export const ADDRESS_MAX = 256;
export const LANGUAGE_CODE_MAX = 35;

/** Carousel: at most 10 cards (Genesys). */
export const CAROUSEL_CARDS_MAX = 10;
/** WhatsApp shows at most 3 buttons per card (Genesys help, "Work with cards in bot conversations"). */
export const WHATSAPP_CARD_BUTTONS_MAX = 3;
/** Facebook Messenger's cap (13), the highest of the channels Genesys documents for quick replies. */
export const QUICK_REPLIES_MAX = 13;
/** Cards: Genesys advises 3 buttons; channels other than WhatsApp accept more, bounded here. */
export const CARD_ACTIONS_MAX = 10;

export const TITLE_MAX = 256;
/** WhatsApp's interactive message body limit (1024), a safe bound for every channel. */
export const DESCRIPTION_MAX = 1024;
export const BUTTON_TEXT_MAX = 256;
export const PAYLOAD_MAX = 1000;
export const URL_MAX = 2048;

export const MEDIA_ID_MAX = 256;
export const TEMPLATE_ID_MAX = 256;
export const TEMPLATE_PARAMETERS_MAX = 50;
export const TEMPLATE_PARAMETER_VALUE_MAX = 1024;
