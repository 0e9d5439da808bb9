/** Request and outcome counters behind `sandbox.stats()`. */
import type { RouteName, SandboxStats } from './types';

const ROUTES: readonly RouteName[] = [
  'token',
  'conversationMessage',
  'agentless',
  'botConnector',
  'getMessage',
  'getMessageDetails',
  'getConversation',
  'bulk',
  'customerMessage',
  'botSessions',
  'notFound',
];

function emptyStats(): SandboxStats {
  return {
    requests: Object.fromEntries(ROUTES.map((route) => [route, 0])) as Record<RouteName, number>,
    tokensIssued: 0,
    throttled: 0,
    clientThrottled: 0,
    faultsInjected: 0,
    afterAccept: {},
    perToken: {},
    webhookPosts: { ok: 0, failed: 0, gaveUp: 0 },
  };
}

export class Stats {
  private data = emptyStats();

  request(route: RouteName): void {
    this.data.requests[route]++;
  }

  tokenUse(fingerprint: string): void {
    this.data.perToken[fingerprint] = (this.data.perToken[fingerprint] ?? 0) + 1;
  }

  tokenIssued(): void {
    this.data.tokensIssued++;
  }

  throttled(byClientLimit = false): void {
    this.data.throttled++;
    if (byClientLimit) this.data.clientThrottled++;
  }

  fault(): void {
    this.data.faultsInjected++;
  }

  afterAcceptFault(label: string): void {
    this.data.afterAccept[label] = (this.data.afterAccept[label] ?? 0) + 1;
  }

  webhookAttempt(ok: boolean): void {
    if (ok) this.data.webhookPosts.ok++;
    else this.data.webhookPosts.failed++;
  }

  webhookGaveUp(): void {
    this.data.webhookPosts.gaveUp++;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = emptyStats();
  }
}
