import type { RequestOptions } from '../genesys/genesys-client';
import type { GenesysErrorInfo, GenesysOutcome } from '../genesys/types';
import type { MessageStatus } from '../status/message-status';
import type { SendRecord } from '../status/types';

/** What the send and retry paths need from the Genesys client. */
export interface GenesysRequester {
  request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<GenesysOutcome<T>>;
}

/** The answer to a send, whatever its entry point. */
export interface DeliveryResult {
  messageId: string;
  status: MessageStatus;
  genesysMessageId?: string;
  /** Genesys calls made so far. */
  attempts: number;
  nextAttemptAt?: string;
  sendAt?: string;
  /** Genesys' words when it refused the message, or the last error while retrying. */
  error?: SendRecord['lastError'];
  /** True when this call found an earlier call's record and sent nothing itself. */
  replayed: boolean;
}

export function resultOf(record: SendRecord, replayed: boolean): DeliveryResult {
  return {
    messageId: record.messageId,
    status: record.status,
    ...(record.genesysMessageId !== undefined && { genesysMessageId: record.genesysMessageId }),
    attempts: record.attempts,
    ...(record.nextAttemptAt !== undefined &&
      record.status === 'retrying' && { nextAttemptAt: record.nextAttemptAt }),
    ...(record.sendAt !== undefined && { sendAt: record.sendAt }),
    ...(record.lastError !== undefined && { error: record.lastError }),
    replayed,
  };
}

/** One line for logs, history and the DLQ: never a token or a secret (Genesys error bodies carry none). */
export function describeGenesysError(error: GenesysErrorInfo): string {
  const parts = [error.status !== undefined ? `HTTP ${error.status}` : undefined, error.code, error.message];
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}
