import { parseArgs } from 'node:util';
import { DEFAULT_PORT, sandboxPortFor } from '../start-options';
import { describeFetchError } from './send-command';

/**
 * `npm run customer -- --text hi`: plays the customer of the sandbox's bot connector integration (the
 * sandbox's POST /sandbox/customer/messages) and prints what the bot answered.
 */

export const DEFAULT_SANDBOX_URL = `http://127.0.0.1:${sandboxPortFor(DEFAULT_PORT)}`;
const MESSAGES_PATH = '/sandbox/customer/messages';

export const CUSTOMER_USAGE = `Usage: npm run customer -- --text <text> [--conversation <id>] [options]
       npm run customer -- --tap <button text> --payload <payload> --conversation <id> [options]

Plays the customer of the Genesys sandbox's Digital Bot Connector integration: writes a message, or taps a
button or quick reply the bot sent, and prints the bot's answer (the conversation id to go on with).

  --text <text>            what the customer writes (no --conversation: a new conversation)
  --tap <text>             the tapped button's text; needs --payload and --conversation
  --payload <payload>      the tapped button's payload
  --quick-reply            the tap is on a quick reply (default: a card or carousel button)
  --conversation <id>      the Genesys conversation id (printed by the first message)
  --sandbox <url>          the sandbox (default ${DEFAULT_SANDBOX_URL}, as npm start prints it)
  --help                   show this help

Exit codes: 0 the bot answered 2xx; 1 it answered otherwise or could not be reached; 2 usage.`;

/** The line npm start prints under the sandbox's URL. */
export function customerHint(sandboxUrl: string): string {
  const sandbox = sandboxUrl === DEFAULT_SANDBOX_URL ? '' : ` --sandbox ${sandboxUrl}`;
  return `npm run customer --${sandbox} --text hi   (then --conversation <id>, --tap <text> --payload <p>)`;
}

export interface CustomerCommandIo {
  out(line: string): void;
  err(line: string): void;
}

interface CustomerOptions {
  sandbox: string;
  body: Record<string, unknown>;
}

class CustomerUsageError extends Error {
  override name = 'CustomerUsageError';
}

interface CustomerAnswer {
  conversationId: string;
  botSessionId: string;
  messageId: string;
  bot: { status: number; attempts: number[]; answer: unknown };
}

export async function runCustomerCommand(argv: string[], io: CustomerCommandIo): Promise<number> {
  let options: CustomerOptions | 'help';
  try {
    options = parseCustomerOptions(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${CUSTOMER_USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(CUSTOMER_USAGE);
    return 0;
  }
  const url = `${options.sandbox.replace(/\/+$/, '')}${MESSAGES_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(options.body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    io.err(`POST ${url} failed: ${describeFetchError(error)} (the sandbox elsewhere? --sandbox <url>)`);
    return 1;
  }
  const text = await response.text();
  if (response.status !== 200) {
    io.err(`POST ${url} → ${response.status}`);
    io.err(describeError(text));
    return 1;
  }
  const answer = JSON.parse(text) as CustomerAnswer;
  const retried = answer.bot.attempts.length > 1 ? ` after ${answer.bot.attempts.join(', ')}` : '';
  io.out(
    `conversation ${answer.conversationId}, bot session ${answer.botSessionId}, message ${answer.messageId}`,
  );
  io.out(`bot → ${answer.bot.status}${retried}`);
  io.out(JSON.stringify(answer.bot.answer, null, 2) ?? '(no body)');
  const sandbox = options.sandbox === DEFAULT_SANDBOX_URL ? '' : ` --sandbox ${options.sandbox}`;
  io.out(`go on: npm run customer --${sandbox} --conversation ${answer.conversationId} --text <text>`);
  return answer.bot.status >= 200 && answer.bot.status < 300 ? 0 : 1;
}

function describeError(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : text;
  } catch {
    return text;
  }
}

function parseCustomerOptions(argv: string[]): CustomerOptions | 'help' {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new CustomerUsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const sandbox = values.sandbox ?? DEFAULT_SANDBOX_URL;
  if (!URL.canParse(sandbox) || !/^https?:$/.test(new URL(sandbox).protocol)) {
    throw new CustomerUsageError(`--sandbox must be an http(s) URL, got "${sandbox}"`);
  }
  const conversation = values.conversation !== undefined && { conversationId: values.conversation };
  if (values.text !== undefined) {
    if (values.tap !== undefined) throw new CustomerUsageError('--text and --tap exclude each other');
    if (values.payload !== undefined || values['quick-reply'])
      throw new CustomerUsageError('--payload and --quick-reply go with --tap');
    return { sandbox, body: { ...conversation, text: values.text } };
  }
  if (values.tap === undefined) throw new CustomerUsageError('give --text <text> or --tap <button text>');
  if (values.payload === undefined) throw new CustomerUsageError('--tap needs --payload <payload>');
  if (values.conversation === undefined)
    throw new CustomerUsageError(
      '--tap needs --conversation <id>: a tap answers a message of that conversation',
    );
  return {
    sandbox,
    body: {
      ...conversation,
      buttonResponse: {
        type: values['quick-reply'] ? 'QuickReply' : 'Button',
        text: values.tap,
        payload: values.payload,
      },
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      text: { type: 'string' },
      tap: { type: 'string' },
      payload: { type: 'string' },
      'quick-reply': { type: 'boolean' },
      conversation: { type: 'string' },
      sandbox: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}
