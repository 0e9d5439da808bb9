/** Rich message model, validation and rendering for every Genesys transport. */
export {
  BOT_ENTITY_TYPES,
  type BotComplete,
  BotCompleteSchema,
  type BotEntityType,
  type BotFail,
  BotFailSchema,
} from './bot-outcome-schema';
export { CHANNELS, type Channel, ChannelSchema, textLimitFor } from './channels';
export * from './constants';
export {
  type Card,
  type CardAction,
  type Carousel,
  MESSAGE_KINDS,
  type Message,
  type MessageKind,
  MessageSchema,
  messageKindOf,
  type QuickReplies,
  type QuickReply,
  type Template,
  type TemplateParameter,
} from './content-schema';
export { formatPath, ValidationError, type ValidationIssue } from './errors';
export { renderTextFallback, type TextRenderableMessage } from './fallback';
export type * from './genesys-bodies';
export {
  defaultBotState,
  type RenderedRequest,
  type RenderOutcome,
  renderForTarget,
  sessionCompletion,
  tryRender,
} from './render';
export { effectiveChannel } from './rules';
export { parseSendRequest, type SendRequest, SendRequestSchema } from './send-request';
export {
  type AgentlessTarget,
  BOT_STATES,
  type BotConnectorTarget,
  type BotSessionTarget,
  type BotState,
  type ConversationTarget,
  type Target,
  TargetSchema,
} from './target-schema';
export type { RenderInput, RuleIssue } from './types';
