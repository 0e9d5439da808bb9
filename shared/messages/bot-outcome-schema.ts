import * as z from 'zod/mini';
import { nonBlank } from './content-schema';

/**
 * How a send request ends the bot session it goes into (Digital Bot Connector): `complete` (the flow goes
 * on down the intent's path) or `fail` (the flow takes its failure path). Genesys closes the session either way.
 */

/** Architect data types an entity (slot) may have (Digital Bot Connector spec, BotEntityType). */
export const BOT_ENTITY_BASE_TYPES = [
  'String',
  'Integer',
  'Decimal',
  'Boolean',
  'Duration',
  'Currency',
  'Datetime',
] as const;
export const BOT_ENTITY_TYPES = [
  ...BOT_ENTITY_BASE_TYPES,
  ...BOT_ENTITY_BASE_TYPES.map((type) => `${type}Collection` as const),
] as const;
export type BotEntityType = (typeof BOT_ENTITY_TYPES)[number];

/** Spec: names up to 100 displayable characters; 50 entities per intent. */
export const BOT_NAME_MAX = 100;
export const BOT_ITEMS_MAX = 50;
export const BOT_PARAMETERS_MAX = 50;
export const BOT_PARAMETER_VALUE_MAX = 1024;
export const BOT_ENTITY_VALUE_MAX = 32_000;
export const BOT_ERROR_MESSAGE_MAX = 1000;

const EntityValueSchema = z
  .strictObject({
    name: nonBlank(BOT_NAME_MAX),
    type: z.enum(BOT_ENTITY_TYPES),
    value: z
      .optional(z.string().check(z.maxLength(BOT_ENTITY_VALUE_MAX)))
      .check(z.describe('For simple types.')),
    values: z
      .optional(z.array(z.string().check(z.maxLength(BOT_ENTITY_VALUE_MAX))).check(z.maxLength(1000)))
      .check(z.describe('For ...Collection types.')),
  })
  .check(
    z.superRefine((entity, ctx) => {
      const collection = entity.type.endsWith('Collection');
      if (collection && (entity.values === undefined || entity.value !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['values'],
          message: `a ${entity.type} entity carries "values" (an array of strings), not "value"`,
        });
      }
      if (!collection && (entity.value === undefined || entity.values !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `a ${entity.type} entity carries "value" (a string), not "values"`,
        });
      }
    }),
  );

const ParametersSchema = z
  .record(
    z.string().check(z.minLength(1), z.maxLength(BOT_NAME_MAX)),
    z.string().check(z.maxLength(BOT_PARAMETER_VALUE_MAX)),
  )
  .check(
    z.refine((parameters) => Object.keys(parameters).length <= BOT_PARAMETERS_MAX, {
      error: `must have at most ${BOT_PARAMETERS_MAX} keys`,
    }),
    z.meta({ maxProperties: BOT_PARAMETERS_MAX }),
  );

export const BotCompleteSchema = z
  .strictObject({
    intent: nonBlank(BOT_NAME_MAX).check(
      z.describe('Required: without an intent the flow takes its failure path.'),
    ),
    confidence: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    entities: z.optional(z.array(EntityValueSchema).check(z.maxLength(BOT_ITEMS_MAX))),
    parameters: z.optional(ParametersSchema).check(z.describe('Output parameters the flow can read.')),
  })
  .check(
    z.describe(
      'Ends the bot session: botState Complete with this intent (the flow follows the intent path).',
    ),
  );

export const BotFailSchema = z
  .strictObject({
    errorCode: nonBlank(BOT_NAME_MAX),
    errorMessage: nonBlank(BOT_ERROR_MESSAGE_MAX),
  })
  .check(z.describe('Ends the bot session: botState Failed (the flow takes its failure path).'));

export type BotComplete = z.infer<typeof BotCompleteSchema>;
export type BotFail = z.infer<typeof BotFailSchema>;
