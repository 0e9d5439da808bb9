/** One problem in a send request: where (a JSON path such as `message.card.actions[2].url`, `''` for the whole request) and why. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * A send request that cannot be accepted or rendered. Lists every problem found, not just the first.
 * Messages name fields and reasons only: they never echo values (which may hold personal data);
 * paths do show the field names a caller sent, unknown ones included.
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  readonly issues: ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const list = issues.length > 0 ? issues : [{ path: '', message: 'invalid send request' }];
    super(
      `invalid send request (${list.length} ${list.length === 1 ? 'problem' : 'problems'}): ${list
        .map((issue) => `${issue.path === '' ? '(request)' : issue.path}: ${issue.message}`)
        .join('; ')}`,
    );
    this.issues = list.map((issue) => ({ path: issue.path, message: issue.message }));
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['message', 'card', 'actions', 2, 'url']` ➜ `message.card.actions[2].url`; odd keys in brackets: `metadata["a.b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
    } else {
      const key = String(segment);
      if (IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}
