import * as z from 'zod/mini';
import { BotCompleteSchema, BotFailSchema } from './bot-outcome-schema';
import { ChannelSchema } from './channels';
import {
  IDEMPOTENCY_KEY_MAX,
  IDEMPOTENCY_KEY_PATTERN,
  METADATA_KEY_MAX,
  METADATA_MAX_KEYS,
  METADATA_VALUE_MAX,
} from './constants';
import { MessageSchema } from './content-schema';
import { formatPath, ValidationError } from './errors';
import { METADATA_KEY_PATTERN } from './field-rules';
import { tryRender } from './render';
import { type Target, TargetSchema } from './target-schema';
import type { RenderInput } from './types';
import { validationIssuesFromZod } from './zod-issues';

/** Keys are plain identifiers (no `$`, spaces, or `{}`); `__proto__` matches the pattern and is refused below. */
const MetadataKeySchema = z.string().check(
  z.maxLength(METADATA_KEY_MAX),
  z.regex(METADATA_KEY_PATTERN, {
    error: 'must be a plain identifier: A-Z a-z 0-9 _ . - starting with a letter or _',
  }),
);
const MetadataSchema = z.record(MetadataKeySchema, z.string().check(z.maxLength(METADATA_VALUE_MAX))).check(
  z.refine((metadata) => Object.keys(metadata).length <= METADATA_MAX_KEYS, {
    error: `must have at most ${METADATA_MAX_KEYS} keys`,
  }),
  z.meta({ maxProperties: METADATA_MAX_KEYS }),
  z.describe('Caller data kept with the status record; never sent to Genesys.'),
);

/** The parts rendering reads: its rules run once these parsed without structural (aborting) problems. */
const RENDER_INPUT_KEYS: readonly PropertyKey[] = ['target', 'channel', 'message', 'complete', 'fail'];

/**
 * Zod runs a check that has `when` even after the object itself failed, so rule out a non-object
 * request (a root issue other than unknown fields) as well as broken target, channel or message.
 */
function renderInputParsed(payload: z.core.ParsePayload): boolean {
  return !payload.issues.some((issue) => {
    if (issue.continue === true) return false;
    const head = issue.path?.[0];
    return head === undefined ? issue.code !== 'unrecognized_keys' : RENDER_INPUT_KEYS.includes(head);
  });
}

/**
 * The send request (README "Send request"; JSON Schema in schema/send-request.schema.json).
 * Beyond its shape, it checks Genesys' rules (unique postbacks per card and carousel) and, once
 * target, channel and message are well-formed, what the target and channel can carry, and that the
 * text form fits: whatever it accepts, {@link renderForTarget} renders.
 */
export const SendRequestSchema = z
  .strictObject({
    idempotencyKey: z
      .optional(
        z
          .string()
          .check(
            z.maxLength(IDEMPOTENCY_KEY_MAX),
            z.regex(IDEMPOTENCY_KEY_PATTERN, { error: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -' }),
          ),
      )
      .check(z.describe('Same key and same body: the first result is returned; same key, other body: 409.')),
    target: TargetSchema,
    channel: z
      .optional(ChannelSchema)
      .check(
        z.describe(
          "The customer's channel, for capability checks. For agentless targets it is the messengerType.",
        ),
      ),
    message: MessageSchema,
    complete: z.optional(BotCompleteSchema),
    fail: z.optional(BotFailSchema),
    sendAt: z
      .optional(
        z.iso.datetime({
          offset: true,
          error: 'must be an ISO-8601 date-time with Z or an offset, e.g. 2026-12-01T09:00:00Z',
        }),
      )
      .check(z.describe('Send later (one-time schedule).')),
    metadata: z.optional(MetadataSchema),
  })
  .check(
    z.superRefine(
      (request, ctx) => {
        const outcome = tryRender(renderCheckView(request));
        if (outcome.ok) return;
        // A field the schema already faulted (a text over 2000) needs no second, render-side report.
        const faulted = new Set(ctx.issues.map((issue) => formatPath(issue.path ?? [])));
        for (const issue of outcome.issues) {
          if (!faulted.has(formatPath(issue.path))) {
            ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
          }
        }
      },
      { when: renderInputParsed },
    ),
    z.meta({
      title: 'SendRequest',
      description:
        'A rich message to send into Genesys Cloud: target, message, and optional schedule and metadata.',
    }),
  );

/**
 * A botSession target renders once its session is known (at accept time). Every rule about what it can
 * carry is a bot connector reply's, so the checks run on a stand-in bot connector target.
 */
function renderCheckView<T extends RenderInput>(request: T): T {
  if (request.target.kind !== 'botSession') return request;
  const target: Target = {
    kind: 'botConnector',
    botId: 'session-bot',
    botVersion: 'session-version',
    botSessionId: 'session',
    languageCode: 'en-us',
    conversationId: request.target.conversationId,
  };
  return { ...request, target };
}

/** What the schema accepts (input and output are the same shape: no defaults, no transforms). */
export type SendRequest = z.infer<typeof SendRequestSchema>;

/** Parses and checks a send request against the schema and every Genesys and channel rule. */
export function parseSendRequest(input: unknown): SendRequest {
  const result = SendRequestSchema.safeParse(input);
  const reserved = reservedMetadataKeyIssue(input);
  if (result.success && reserved === undefined) return result.data;
  const issues = result.success ? [] : validationIssuesFromZod(result.error.issues, input);
  throw new ValidationError(reserved === undefined ? issues : [...issues, reserved]);
}

/**
 * zod's record skips a `__proto__` key (it cannot be kept as a plain object key), so without this check the
 * caller's metadata would come back without it and no error: refuse it by name instead.
 */
function reservedMetadataKeyIssue(input: unknown): { path: string; message: string } | undefined {
  const metadata = (input as { metadata?: unknown } | null)?.metadata;
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, '__proto__'))
    return undefined;
  return {
    path: formatPath(['metadata', '__proto__']),
    message: 'is a reserved name: use another metadata key',
  };
}
