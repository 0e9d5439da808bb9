import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The body was over the server's limit: the caller answers 413. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/** Reads a whole request body, refusing more than `maxBytes` (the rest is drained, not buffered). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    request.on('end', () =>
      tooLarge
        ? reject(new BodyTooLargeError(`request body is larger than ${maxBytes} bytes`))
        : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });
}

/** Listens on 127.0.0.1 (port 0: any free port) and gives the port; a port in use rejects with EADDRINUSE. */
export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting and ends open connections (keep-alive ones would hold close() open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
