/** The Genesys Cloud sandbox: a simulator of the Genesys API on loopback (contract: README "Genesys sandbox"). */

export type {
  BotCallResult,
  BotConnectorSide,
  BotIntegrationOptions,
  CustomerInput,
  GenesysBotSession,
} from './bot-connector-side';
export { tokenFingerprint } from './fingerprint';
export { startSandbox } from './server';
export { hubSignature } from './signature';
export type {
  AcceptedMessage,
  Fault,
  FaultPhase,
  FaultTarget,
  GenesysMessageStatus,
  RandomAfterAcceptFaults,
  RandomFaults,
  RateLimit,
  ReceiptOptions,
  ReceiptReason,
  ReceiptStatus,
  ReceiptTiming,
  RouteName,
  Sandbox,
  SandboxClient,
  SandboxOptions,
  SandboxStats,
  SendRouteName,
  WebhookDelivery,
  WebhookOptions,
} from './types';
