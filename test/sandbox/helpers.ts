/** Test helpers for the sandbox suites: token, JSON calls over real loopback HTTP, a fake clock, a webhook receiver. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '../../local/sandbox';

export const CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export function requestToken(
  sandbox: Sandbox,
  options: { clientId?: string; clientSecret?: string; body?: string; contentType?: string } = {},
): Promise<Response> {
  return fetch(`${sandbox.url}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: basicAuth(
        options.clientId ?? CLIENT.clientId,
        options.clientSecret ?? CLIENT.clientSecret,
      ),
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    },
    body: options.body ?? 'grant_type=client_credentials',
  });
}

export async function token(sandbox: Sandbox): Promise<string> {
  const response = await requestToken(sandbox);
  if (response.status !== 200) throw new Error(`token request answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** One API call: JSON body (or a raw string with its own content type), bearer token. */
export async function api(
  sandbox: Sandbox,
  accessToken: string | undefined,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: { raw?: string; contentType?: string; signal?: AbortSignal } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
  let payload: string | undefined;
  if (options.raw !== undefined || body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    payload = options.raw ?? JSON.stringify(body);
  }
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** A clock the test moves by hand (token expiry, rate-limit windows). */
export function fakeClock(start = Date.UTC(2026, 0, 1)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

export interface ReceivedPost {
  rawBody: Buffer;
  headers: IncomingMessage['headers'];
  json: any;
}

/** A webhook receiver on loopback; `answer` picks the status of each post (default 200). */
export async function startReceiver(
  answer: (post: ReceivedPost, index: number) => number = () => 200,
): Promise<{
  url: string;
  posts: ReceivedPost[];
  close: () => Promise<void>;
}> {
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const post = { rawBody, headers: request.headers, json: JSON.parse(rawBody.toString('utf8')) };
      posts.push(post);
      response.writeHead(answer(post, posts.length - 1)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/genesys`,
    posts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `check` until it holds (receipt progression runs on the sandbox's timers). */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
