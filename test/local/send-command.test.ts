/** `npm run send` against an API whose Genesys org sends no receipts: sent is success, not a timeout. */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runSendCommand } from '../../local/cli/send-command';
import { closeServer, listenOnLoopback } from '../../local/http-server';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

/** A stand-in API: POST answers 202 sent, GET always the given status (no receipt ever arrives). */
async function apiStuckAt(status: string): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const at = '2026-03-01T10:00:00.000Z';
      const body =
        request.method === 'POST'
          ? { messageId: 'no-receipts-1', status, attempts: 1 }
          : {
              messageId: 'no-receipts-1',
              status,
              targetKind: 'conversation',
              attempts: 1,
              history: [{ at, status, source: 'send', attempt: 1 }],
              createdAt: at,
              updatedAt: at,
            };
      response.writeHead(request.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  servers.push(server);
  return `http://127.0.0.1:${await listenOnLoopback(server, 0)}`;
}

async function send(url: string, ...extra: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSendCommand(['-', '--url', url, '--timeout', '1', ...extra], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: {},
    readStdin: async () => '{"target":{"kind":"conversation"},"message":{"text":"hi"}}',
  });
  return { code, out, err };
}

describe('npm run send: following a message', () => {
  it('exits 0 with a note when Genesys took the message but no receipt came by the timeout', async () => {
    // Act
    const { code, out, err } = await send(await apiStuckAt('sent'));

    // Assess
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(
      'sent, and no delivered receipt within 1 s: Genesys took the message; receipts need the webhook or EventBridge set up, and not every channel sends them',
    );
  });

  it('stops at once at sent with --until sent', async () => {
    // Act
    const { code, out } = await send(await apiStuckAt('sent'), '--until', 'sent', '--timeout', '60');

    // Assess
    expect(code).toBe(0);
    expect(out.at(-1)).toMatch(/^no-receipts-1: sent/);
  });

  it('still exits 3 when the message was not even sent by the timeout', async () => {
    // Act
    const { code, err } = await send(await apiStuckAt('retrying'));

    // Assess
    expect(code).toBe(3);
    expect(err.at(-1)).toMatch(/^not final after 1 s \(status retrying\)/);
  });
});
