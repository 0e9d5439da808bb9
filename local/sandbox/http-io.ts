/** Small node:http helpers: answer JSON with the correlation header (bodies are read with ../http-server). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER } from './constants';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  contextId: string,
  headers: Record<string, string> = {},
): void {
  const text = writeJsonHead(response, status, body, contextId, headers);
  if (text !== undefined) response.end(text);
}

/**
 * The answer's headers now, its body `chunkBytes` at a time with `wait` between chunks: a slow network or
 * an overloaded server. `wait` answering false (the sandbox closed) stops the answer where it is.
 */
export async function sendJsonSlowly(
  response: ServerResponse,
  answer: { status: number; body: unknown; contextId: string; headers: Record<string, string> },
  chunkBytes: number,
  wait: () => Promise<boolean>,
): Promise<void> {
  const { status, body, contextId, headers } = answer;
  const text = writeJsonHead(response, status, body, contextId, headers);
  if (text === undefined) return;
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    if (offset > 0 && !(await wait())) return;
    if (response.destroyed) return;
    response.write(bytes.subarray(offset, offset + chunkBytes));
  }
  response.end();
}

/** Writes status and headers; the body text to send, or undefined when the response is gone. */
function writeJsonHead(
  response: ServerResponse,
  status: number,
  body: unknown,
  contextId: string,
  headers: Record<string, string>,
): string | undefined {
  if (response.headersSent || response.destroyed) return undefined;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    [CORRELATION_HEADER]: contextId,
  });
  return text;
}

/** The media type of a request, lowercased, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
