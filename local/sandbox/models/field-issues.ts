/** Turns zod issues into Genesys-style field issues: the field's path and the reason in words. */
import type * as z from 'zod';
import type { FieldIssue } from '../error-body';

export function fieldName(path: readonly PropertyKey[]): string {
  let name = '';
  for (const segment of path) {
    if (typeof segment === 'number') name += `[${segment}]`;
    else name += name === '' ? String(segment) : `.${String(segment)}`;
  }
  return name === '' ? 'body' : name;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

type SizeIssue = z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall;

function plural(count: number | bigint, noun: string): string {
  return `${count} ${noun}${Number(count) === 1 ? '' : 's'}`;
}

/** "must be at most 2000 characters", "must have exactly 1 item", "must not be empty"... */
function sizeReason(issue: SizeIssue): { reason: string; errorCode: string } {
  const big = issue.code === 'too_big';
  const bound = big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum;
  const qualifier = issue.exact ? 'exactly' : big ? 'at most' : 'at least';
  const errorCode = issue.exact ? 'field.invalid.size' : big ? 'field.too.big' : 'field.too.small';
  if (issue.origin === 'string') {
    const reason =
      !big && !issue.exact && bound === 1
        ? 'must not be empty'
        : `must be ${qualifier} ${plural(bound, 'character')}`;
    return { reason, errorCode };
  }
  if (issue.origin === 'array')
    return { reason: `must have ${qualifier} ${plural(bound, 'item')}`, errorCode };
  return { reason: `must be ${qualifier} ${bound}`, errorCode };
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, modelName: string): FieldIssue[] {
  const name = fieldName(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        fieldName: fieldName([...issue.path, key]),
        reason: `is not a field of ${issue.path.length === 0 ? modelName : 'this object'}`,
        errorCode: 'field.unknown',
      }));
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined)
        return [{ fieldName: name, reason: 'is required', errorCode: 'field.required' }];
      const article = issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a';
      const reason = `must be ${article} ${issue.expected}, got ${describe(value)}`;
      return [{ fieldName: name, reason, errorCode: 'field.invalid.type' }];
    }
    case 'invalid_value':
      return [
        {
          fieldName: name,
          reason: `must be one of ${issue.values.map(String).join(', ')}`,
          errorCode: 'field.invalid.value',
        },
      ];
    case 'too_big':
    case 'too_small':
      return [{ fieldName: name, ...sizeReason(issue) }];
    default:
      return [{ fieldName: name, reason: issue.message, errorCode: 'field.invalid' }];
  }
}

/** One FieldIssue per refused field; `modelName` names the Genesys model in "unknown field" reasons. */
export function toFieldIssues(error: z.ZodError, input: unknown, modelName: string): FieldIssue[] {
  return error.issues.flatMap((issue) => describeIssue(issue, input, modelName));
}

/** Parses `input` with `schema`; on failure the Genesys-style field issues. */
export function validate<T>(
  schema: z.ZodType<T>,
  input: unknown,
  modelName: string,
): { ok: true; value: T } | { ok: false; issues: FieldIssue[] } {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: toFieldIssues(result.error, input, modelName) };
}
