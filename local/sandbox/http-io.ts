/** Small node:http helpers: read a bounded body, answer JSON with the correlation header. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER } from './constants';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLargeError(`request body is larger than ${maxBytes} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

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
