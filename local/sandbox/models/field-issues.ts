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

/** One FieldIssue per refused field; `modelName` names the Genesys model in "unknown field" reasons. */
export function toFieldIssues(error: z.ZodError, input: unknown, modelName: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          issues.push({
            fieldName: fieldName([...path, key]),
            reason: `is not a field of ${path.length === 0 ? modelName : 'this object'}`,
            errorCode: 'field.unknown',
          });
        }
        break;
      case 'invalid_type': {
        const value = valueAt(input, path);
        issues.push(
          value === undefined
            ? { fieldName: fieldName(path), reason: 'is required', errorCode: 'field.required' }
            : {
                fieldName: fieldName(path),
                reason: `must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}, got ${describe(value)}`,
                errorCode: 'field.invalid.type',
              },
        );
        break;
      }
      case 'invalid_value':
        issues.push({
          fieldName: fieldName(path),
          reason: `must be one of ${issue.values.map(String).join(', ')}`,
          errorCode: 'field.invalid.value',
        });
        break;
      case 'too_big':
      case 'too_small':
        if ('exact' in issue && issue.exact) {
          const count = issue.code === 'too_big' ? issue.maximum : issue.minimum;
          issues.push({
            fieldName: fieldName(path),
            reason:
              issue.origin === 'string'
                ? `must be exactly ${count} characters`
                : `must have exactly ${count} item${Number(count) === 1 ? '' : 's'}`,
            errorCode: 'field.invalid.size',
          });
          break;
        }
        if (issue.code === 'too_small') {
          issues.push({
            fieldName: fieldName(path),
            reason:
              issue.origin === 'string' && issue.minimum === 1
                ? 'must not be empty'
                : issue.origin === 'array'
                  ? `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
                  : `must be at least ${issue.minimum}`,
            errorCode: 'field.too.small',
          });
          break;
        }
        issues.push({
          fieldName: fieldName(path),
          reason:
            issue.origin === 'string'
              ? `must be at most ${issue.maximum} characters`
              : issue.origin === 'array'
                ? `must have at most ${issue.maximum} items`
                : `must be at most ${issue.maximum}`,
          errorCode: 'field.too.big',
        });
        break;
      default:
        issues.push({ fieldName: fieldName(path), reason: issue.message, errorCode: 'field.invalid' });
    }
  }
  return issues;
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
