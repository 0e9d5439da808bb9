import * as z from 'zod/mini';
import { SMS_TEXT_MAX, TEXT_MAX } from './constants';

/**
 * The customer's channel, named as Genesys names messenger types (`MessageData.messengerType`):
 * `facebook` is Facebook Messenger, `webmessaging` is Genesys Web Messenger, `open` is Open Messaging,
 * `apple` is Apple Messages for Business. Used only for capability checks; Genesys routes by its own ids.
 */
export const CHANNELS = [
  'sms',
  'whatsapp',
  'open',
  'webmessaging',
  'facebook',
  'instagram',
  'line',
  'apple',
  'twitter',
  'kakao',
] as const;

export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

/** The channels an agentless message can start on (`toAddressMessengerType`). */
export const AGENTLESS_MESSENGER_TYPES = ['sms', 'whatsapp', 'open'] as const satisfies readonly Channel[];

/** The longest text body a channel accepts (unknown channel: the general Genesys limit). */
export function textLimitFor(channel: Channel | undefined): number {
  return channel === 'sms' ? SMS_TEXT_MAX : TEXT_MAX;
}

/** SMS shows text only: structured content reaches it as the text fallback, whatever the target. */
export function isTextOnly(channel: Channel | undefined): boolean {
  return channel === 'sms';
}
