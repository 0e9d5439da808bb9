import type * as z from 'zod/mini';
import { MESSAGE_KINDS, type MessageKind, messageOptionIndex } from './content-schema';
import { formatPath, type ValidationIssue } from './errors';

type Segment = string | number;
type ZodIssue = z.core.$ZodIssue;

/**
 * Zod issues ➜ one readable issue per problem, with a JSON path. Unknown fields get one issue each;
 * a message whose kind cannot be told gets "exactly one of ..."; otherwise the issues of the kind the
 * caller meant (the option of the message union named by its keys). Values are never echoed.
 */
export function validationIssuesFromZod(issues: readonly ZodIssue[], input: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const issue of convert(issues, input, [])) {
    const path = formatPath(issue.path);
    const key = `${path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message: issue.message });
  }
  return out;
}

interface PathIssue {
  path: Segment[];
  message: string;
}

function convert(issues: readonly ZodIssue[], input: unknown, base: Segment[]): PathIssue[] {
  return issues.flatMap((issue) => convertOne(issue, input, [...base, ...issue.path.map(toSegment)]));
}

function convertOne(issue: ZodIssue, input: unknown, path: Segment[]): PathIssue[] {
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, path);
      if (value === undefined) return [{ path, message: 'is required' }];
      return [{ path, message: `must be ${withArticle(issue.expected)} (got ${typeName(value)})` }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field' }));
    case 'invalid_union': {
      if ('note' in issue && issue.note === 'No matching discriminator') {
        const options = 'options' in issue && Array.isArray(issue.options) ? issue.options.map(String) : [];
        const required = valueAt(input, path) === undefined;
        return [{ path, message: `${required ? 'is required: ' : 'must be '}one of ${options.join(', ')}` }];
      }
      if (formatPath(path) === 'message') return messageIssues(issue.errors, input, path);
      // No other plain union in the schema; keep the option with the fewest problems, if ever needed.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      return convert(best, input, path);
    }
    case 'too_big':
      return [{ path, message: sizeMessage('at most', issue.origin, Number(issue.maximum)) }];
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1)
        return [{ path, message: 'must not be empty' }];
      return [{ path, message: sizeMessage('at least', issue.origin, Number(issue.minimum)) }];
    case 'invalid_value':
      return [
        {
          path,
          message:
            issue.values.length === 1
              ? `must be ${JSON.stringify(issue.values[0])}`
              : `must be one of ${issue.values.map(String).join(', ')}`,
        },
      ];
    case 'invalid_key':
      return convert(issue.issues, input, path).map((inner) => ({ path, message: `key ${inner.message}` }));
    default:
      // invalid_format and custom issues carry our own messages (set in the schema and the rules).
      return [{ path, message: issue.message }];
  }
}

/** The message union: tell the kind from the keys, then report that kind's problems. */
function messageIssues(
  optionIssues: readonly (readonly ZodIssue[])[],
  input: unknown,
  path: Segment[],
): PathIssue[] {
  const value = valueAt(input, path);
  if (value === undefined) return [{ path, message: 'is required' }];
  if (!isRecord(value)) return [{ path, message: `must be an object (got ${typeName(value)})` }];
  const kinds = MESSAGE_KINDS.filter((kind) => Object.hasOwn(value, kind));
  const option = messageOptionIndex(kinds);
  const chosen = option === undefined ? undefined : optionIssues[option];
  if (chosen !== undefined) return convert(chosen, input, path);
  const expected = `exactly one of ${MESSAGE_KINDS.join(', ')} (text may accompany quickReplies)`;
  const unknown = Object.keys(value)
    .filter((key) => !(MESSAGE_KINDS as readonly string[]).includes(key as MessageKind))
    .map((key) => ({ path: [...path, key], message: 'unknown field' }));
  return [
    {
      path,
      message:
        kinds.length === 0
          ? `must contain ${expected}`
          : `must contain ${expected}, not ${kinds.join(' and ')}`,
    },
    ...unknown,
  ];
}

function sizeMessage(bound: 'at most' | 'at least', origin: string, n: number): string {
  if (origin === 'string') return `must be ${bound} ${n} characters`;
  if (origin === 'array') return `must have ${bound} ${n} ${n === 1 ? 'item' : 'items'}`;
  return `must be ${bound} ${n}`;
}

function toSegment(key: PropertyKey): Segment {
  return typeof key === 'number' ? key : String(key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<Segment, unknown>)[segment];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function withArticle(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
