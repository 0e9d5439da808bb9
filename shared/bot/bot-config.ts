import { BOT_ENTITY_TYPES } from '../messages/bot-outcome-schema';
import type { Message } from '../messages/content-schema';
import { ValidationError } from '../messages/errors';
import type { GenesysReplyMessage } from '../messages/genesys-bodies';
import { renderForTarget } from '../messages/render';
import { parseSendRequest } from '../messages/send-request';

/**
 * The bots this service answers for, as Architect reads them from `GET /botconnector/bots` (Digital Bot
 * Connector spec, "Bot Loading/Configuration"). Given in the construct's props or CDK context, checked at
 * synth with {@link botListIssues}, handed to the bot function as JSON.
 */
export interface BotEntityDefinition {
  name: string;
  type: (typeof BOT_ENTITY_TYPES)[number];
}
export interface BotIntentDefinition {
  name: string;
  entities?: BotEntityDefinition[];
}
export interface BotVersionDefinition {
  version: string;
  supportedLanguages: string[];
  intents: BotIntentDefinition[];
  /** Messages (send request `message` shapes) the bot answers a session's first customer message with. */
  greeting?: Message[];
}
export interface BotDefinition {
  id: string;
  name: string;
  provider: string;
  description?: string;
  versions: BotVersionDefinition[];
}

export const BOT_LIST_MAX = 50;
const NAME_MAX = 100;
const DESCRIPTION_MAX = 256;
const GREETING_MAX = 5;
const LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const NOT_DISPLAYABLE = /[\u0000-\u001f\u007f-\u009f]/;

/** Every way the list breaks the spec's rules, as `path: reason` lines (empty when it is valid). */
export function botListIssues(input: unknown): string[] {
  const issues: string[] = [];
  const add = (path: string, reason: string) => issues.push(`${path}: ${reason}`);
  if (!Array.isArray(input)) return ['bots: must be an array of bots'];
  if (input.length > BOT_LIST_MAX) add('bots', `at most ${BOT_LIST_MAX} bots (got ${input.length})`);
  const ids = new Set<string>();
  input.forEach((bot: Partial<BotDefinition>, b) => {
    const at = `bots[${b}]`;
    if (typeof bot !== 'object' || bot === null) {
      add(at, 'must be an object');
      return;
    }
    name(`${at}.id`, bot.id, NAME_MAX, add);
    name(`${at}.name`, bot.name, NAME_MAX, add);
    name(`${at}.provider`, bot.provider, NAME_MAX, add);
    if (bot.description !== undefined) name(`${at}.description`, bot.description, DESCRIPTION_MAX, add);
    unique(ids, bot.id, `${at}.id`, 'bot ids are case-sensitive and must be unique', add);
    list(`${at}.versions`, bot.versions, add, (version: Partial<BotVersionDefinition>, at, seen) => {
      name(`${at}.version`, version.version, NAME_MAX, add);
      unique(seen, version.version, `${at}.version`, 'versions of a bot must be unique', add);
      if (!Array.isArray(version.supportedLanguages) || version.supportedLanguages.length === 0) {
        add(`${at}.supportedLanguages`, 'must list at least one language, e.g. ["en-us"]');
      } else {
        version.supportedLanguages.forEach((language, l) => {
          if (typeof language !== 'string' || !LANGUAGE.test(language))
            add(
              `${at}.supportedLanguages[${l}]`,
              'must be a lowercase language code such as "en-us" or "es"',
            );
        });
      }
      list(`${at}.intents`, version.intents, add, (intent: Partial<BotIntentDefinition>, at, seen) => {
        name(`${at}.name`, intent.name, NAME_MAX, add);
        unique(seen, intent.name, `${at}.name`, 'intent names of a version must be unique', add);
        if (intent.entities === undefined) return;
        list(
          `${at}.entities`,
          intent.entities,
          add,
          (entity: Partial<BotEntityDefinition>, at, seen) => {
            name(`${at}.name`, entity.name, NAME_MAX, add);
            unique(seen, entity.name, `${at}.name`, 'entity names of an intent must be unique', add);
            if (!BOT_ENTITY_TYPES.includes(entity.type as never))
              add(`${at}.type`, `must be an Architect data type: ${BOT_ENTITY_TYPES.join(', ')}`);
          },
          0,
        );
      });
      greetingIssues(`${at}.greeting`, version.greeting, add);
    });
  });
  return issues;
}

/** The list, or an error naming every problem. */
export function checkedBotList(input: unknown): BotDefinition[] {
  const issues = botListIssues(input);
  if (issues.length > 0) throw new Error(`invalid bot list (${issues.length}): ${issues.join('; ')}`);
  return input as BotDefinition[];
}

/** The greeting as Genesys reply messages (each checked like a send request to a bot connector target). */
export function renderGreeting(greeting: readonly Message[]): GenesysReplyMessage[] {
  return greeting.map((message) => {
    const rendered = renderForTarget(parseSendRequest({ target: GREETING_TARGET, message }));
    if (rendered.route !== 'botConnector') throw new Error('a greeting renders as a bot connector reply');
    return rendered.body.replyMessages[0];
  });
}

/** What `GET /botconnector/bots` shows of a bot: the spec's fields only (no greeting). */
export function publicBot(bot: BotDefinition): Record<string, unknown> {
  return {
    id: bot.id,
    name: bot.name,
    provider: bot.provider,
    ...(bot.description !== undefined && { description: bot.description }),
    versions: bot.versions.map((version) => ({
      version: version.version,
      supportedLanguages: version.supportedLanguages,
      intents: version.intents.map((intent) => ({
        name: intent.name,
        ...(intent.entities !== undefined && { entities: intent.entities }),
      })),
    })),
  };
}

const GREETING_TARGET = {
  kind: 'botConnector',
  botId: 'greeting',
  botVersion: 'greeting',
  botSessionId: 'greeting',
  languageCode: 'en-us',
} as const;

function greetingIssues(at: string, greeting: unknown, add: (path: string, reason: string) => void) {
  if (greeting === undefined) return;
  if (!Array.isArray(greeting) || greeting.length === 0 || greeting.length > GREETING_MAX) {
    return add(at, `must be a list of 1 to ${GREETING_MAX} messages`);
  }
  greeting.forEach((message, index) => {
    try {
      parseSendRequest({ target: GREETING_TARGET, message });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const issue of error.issues)
        add(`${at}[${index}]${issue.path.replace(/^message/, '')}`, issue.message);
    }
  });
}

function name(path: string, value: unknown, max: number, add: (path: string, reason: string) => void) {
  if (typeof value !== 'string' || value.length === 0) return add(path, 'is required (a non-empty string)');
  if (value.length > max) add(path, `must be at most ${max} characters (got ${value.length})`);
  if (value.trim() !== value) add(path, 'must not start or end with whitespace');
  if (NOT_DISPLAYABLE.test(value)) add(path, 'must be displayable characters only (no control characters)');
}

function unique(
  seen: Set<string>,
  value: unknown,
  path: string,
  reason: string,
  add: (p: string, r: string) => void,
) {
  if (typeof value !== 'string') return;
  if (seen.has(value)) add(path, `"${value}" appears twice: ${reason}`);
  seen.add(value);
}

function list<T>(
  path: string,
  value: unknown,
  add: (path: string, reason: string) => void,
  each: (item: T, at: string, seen: Set<string>) => void,
  min = 1,
) {
  if (!Array.isArray(value) || value.length < min) {
    return add(path, min === 0 ? 'must be an array' : `must list at least ${min}`);
  }
  if (value.length > BOT_LIST_MAX) add(path, `at most ${BOT_LIST_MAX} (got ${value.length})`);
  const seen = new Set<string>();
  value.forEach((item, index) => {
    if (typeof item !== 'object' || item === null) add(`${path}[${index}]`, 'must be an object');
    else each(item as T, `${path}[${index}]`, seen);
  });
}
