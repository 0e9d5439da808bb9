import { createHash } from 'node:crypto';

/** First 8 hex of sha256(token): identifies a token in stats without revealing it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}
