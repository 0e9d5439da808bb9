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
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    [CORRELATION_HEADER]: contextId,
  });
  response.end(text);
}

/** The media type of a request, lowercased, without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
