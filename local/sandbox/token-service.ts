/** OAuth client credentials: the configured clients, the tokens issued to them, expiry and revocation. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SandboxClient } from './types';

export type TokenCheck = { ok: true; clientId: string } | { ok: false; reason: 'unknown' | 'expired' };

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

export class TokenService {
  private clients: SandboxClient[];
  /** access token → its OAuth client and expiry time (ms). Revocation forgets them all. */
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();

  constructor(
    clients: readonly SandboxClient[],
    private readonly expiresInSeconds: number,
    private readonly now: () => number,
  ) {
    this.clients = clients.map((client) => ({ ...client }));
  }

  /** Rotation: secrets not in the new list stop working at once (tokens already issued stay valid). */
  setClients(clients: readonly SandboxClient[]): void {
    this.clients = clients.map((client) => ({ ...client }));
  }

  isKnownClient(clientId: string, clientSecret: string): boolean {
    return this.clients.some(
      (client) => safeEqual(client.clientId, clientId) && safeEqual(client.clientSecret, clientSecret),
    );
  }

  issue(clientId: string): IssuedToken {
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { clientId, expiresAt: this.now() + this.expiresInSeconds * 1000 });
    return { accessToken, expiresInSeconds: this.expiresInSeconds };
  }

  check(accessToken: string): TokenCheck {
    const issued = this.tokens.get(accessToken);
    if (issued === undefined) return { ok: false, reason: 'unknown' };
    if (this.now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: issued.clientId };
  }

  revokeAll(): void {
    this.tokens.clear();
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Parses `Authorization: Basic base64(id:secret)`; undefined when absent or malformed. */
export function parseBasicAuth(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** Parses `Authorization: Bearer <token>`; undefined when absent or another scheme. */
export function parseBearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
