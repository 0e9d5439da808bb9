/** Genesys ErrorBody answers (docs/genesys-api-facts.md, "Errors and rate limits"). */
import type { Models } from 'purecloud-platform-client-v2';

export interface FieldIssue {
  /** Dotted path into the request body, e.g. `replyMessages[0].content[1].card.actions[0].url`. */
  fieldName: string;
  /** Why the value is refused, in words. */
  reason: string;
  errorCode: string;
}

export interface ErrorBody extends Models.ErrorBody {
  message: string;
  code: string;
  status: number;
  messageWithParams: string;
  messageParams: Record<string, string>;
  contextId: string;
  details: Models.Detail[];
  errors: Models.ErrorBody[];
}

/** Genesys' codes and wording for the statuses the sandbox answers. */
const STANDARD: Record<number, { code: string; message: string }> = {
  400: {
    code: 'bad.request',
    message: 'The request could not be understood by the server due to malformed syntax.',
  },
  401: { code: 'bad.credentials', message: 'Invalid login credentials.' },
  403: { code: 'missing.permissions', message: 'You are not authorized to perform the requested action.' },
  404: { code: 'not.found', message: 'The requested resource was not found.' },
  408: { code: 'request.timeout', message: 'The request timed out.' },
  409: { code: 'conflict', message: 'The request conflicts with the current state of the resource.' },
  413: { code: 'request.entity.too.large', message: 'The request is too large.' },
  415: {
    code: 'unsupported.media.type',
    message: 'Unsupported Media Type - Unsupported or incorrect media type.',
  },
  422: { code: 'unprocessable.entity', message: 'The request could not be processed.' },
  429: { code: 'too.many.requests.retry.after', message: 'Rate limit exceeded the maximum.' },
  500: {
    code: 'internal.server.error',
    message: 'The server encountered an unexpected condition which prevented it from fulfilling the request.',
  },
  502: { code: 'bad.gateway', message: 'Bad Gateway.' },
  503: { code: 'service.unavailable', message: 'Service Unavailable - The server is currently unavailable.' },
  504: { code: 'gateway.timeout', message: 'The request timed out.' },
};

export function standardError(status: number): { code: string; message: string } {
  return (
    STANDARD[status] ?? { code: status >= 500 ? 'server.error' : 'bad.request', message: `HTTP ${status}` }
  );
}

export interface ErrorBodyInput {
  status: number;
  contextId: string;
  code?: string;
  message?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  details?: Models.Detail[];
  errors?: Models.ErrorBody[];
}

export function errorBody(input: ErrorBodyInput): ErrorBody {
  const standard = standardError(input.status);
  const message = input.message ?? standard.message;
  return {
    message,
    code: input.code ?? standard.code,
    status: input.status,
    messageWithParams: input.messageWithParams ?? message,
    messageParams: input.messageParams ?? {},
    contextId: input.contextId,
    details: input.details ?? [],
    errors: input.errors ?? [],
  };
}

/** 400 bad.request naming every refused field and why, one `details[]` and one `errors[]` entry each. */
export function validationErrorBody(issues: FieldIssue[], contextId: string): ErrorBody {
  const message = issues.map((issue) => `${issue.fieldName}: ${issue.reason}`).join('; ');
  return errorBody({
    status: 400,
    contextId,
    message,
    details: issues.map((issue) => ({ errorCode: issue.errorCode, fieldName: issue.fieldName })),
    errors: issues.map((issue) => ({
      message: `${issue.fieldName}: ${issue.reason}`,
      code: issue.errorCode,
      status: 400,
      details: [{ errorCode: issue.errorCode, fieldName: issue.fieldName }],
    })),
  });
}

/** 429 body as Genesys words it, with the limit in `messageParams`. */
export function rateLimitErrorBody(limit: number, windowMs: number, contextId: string): ErrorBody {
  const seconds = String(Math.max(1, Math.round(windowMs / 1000)));
  return errorBody({
    status: 429,
    contextId,
    message: `Rate limit exceeded the maximum. [${limit}] requests for [${seconds}] seconds`,
    messageWithParams: 'Rate limit exceeded the maximum. [{limit}] requests for [{duration}] seconds',
    messageParams: { limit: String(limit), duration: seconds },
  });
}
