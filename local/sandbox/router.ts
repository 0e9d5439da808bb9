/** Maps method + path to a sandbox route and its path parameters. */
import {
  AGENTLESS_MESSAGES_PATH,
  BOT_CONNECTOR_MESSAGES_PATH,
  OAUTH_TOKEN_PATH,
} from '../../shared/genesys/endpoints';
import type { RequestCategory } from './faults';
import { BOT_SESSIONS_PATH, CUSTOMER_MESSAGES_PATH } from './routes/customer-routes';
import type { RouteName } from './types';

export interface MatchedRoute {
  name: RouteName;
  params: Record<string, string>;
}

const SEGMENT = '([^/]+)';
const MESSAGES = '/api/v2/conversations/messages';

const ROUTES: Array<{ method: string; pattern: RegExp; name: RouteName; params: string[] }> = [
  { method: 'POST', pattern: exact(OAUTH_TOKEN_PATH), name: 'token', params: [] },
  { method: 'POST', pattern: exact(AGENTLESS_MESSAGES_PATH), name: 'agentless', params: [] },
  { method: 'POST', pattern: exact(BOT_CONNECTOR_MESSAGES_PATH), name: 'botConnector', params: [] },
  {
    method: 'POST',
    pattern: new RegExp(`^${MESSAGES}/${SEGMENT}/communications/${SEGMENT}/messages$`),
    name: 'conversationMessage',
    params: ['conversationId', 'communicationId'],
  },
  {
    method: 'POST',
    pattern: new RegExp(`^${MESSAGES}/${SEGMENT}/messages/bulk$`),
    name: 'bulk',
    params: ['conversationId'],
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${MESSAGES}/${SEGMENT}/messages/${SEGMENT}$`),
    name: 'getMessage',
    params: ['conversationId', 'messageId'],
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${MESSAGES}/${SEGMENT}/details$`),
    name: 'getMessageDetails',
    params: ['messageId'],
  },
  {
    method: 'GET',
    pattern: new RegExp(`^${MESSAGES}/${SEGMENT}$`),
    name: 'getConversation',
    params: ['conversationId'],
  },
  // The sandbox's own routes (not Genesys'): no bearer token, no faults.
  { method: 'POST', pattern: exact(CUSTOMER_MESSAGES_PATH), name: 'customerMessage', params: [] },
  { method: 'GET', pattern: exact(BOT_SESSIONS_PATH), name: 'botSessions', params: [] },
];

/** Routes a Genesys client reaches without a bearer token. */
export function isUnauthenticated(route: RouteName): boolean {
  return route === 'token' || route === 'customerMessage' || route === 'botSessions';
}

function exact(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export function matchRoute(method: string | undefined, pathname: string): MatchedRoute {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    let decodable = true;
    route.params.forEach((name, index) => {
      try {
        params[name] = decodeURIComponent(match[index + 1] ?? '');
      } catch {
        decodable = false;
      }
    });
    if (decodable) return { name: route.name, params };
  }
  return { name: 'notFound', params: {} };
}

/** Which fault queue a route draws from; `undefined` for routes no fault applies to. */
export function categoryOf(route: RouteName): RequestCategory | undefined {
  switch (route) {
    case 'token':
      return 'token';
    case 'conversationMessage':
    case 'agentless':
    case 'botConnector':
      return 'send';
    case 'getMessage':
    case 'getMessageDetails':
    case 'bulk':
      return 'status';
    default:
      return undefined;
  }
}
