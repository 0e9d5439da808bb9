import type { AxiosInstance } from 'axios';
import { createGenesysHttpClient } from '../../shared/genesys/http-client';
import { registerSecret } from './log-capture';

/**
 * The production Genesys HTTP client, plus one interceptor: every access token the (sandbox) token
 * endpoint hands out is registered as a secret, so the log check knows the exact values to look for.
 */
export function secretAwareGenesysHttpClient(timeoutMs?: number): AxiosInstance {
  const http = createGenesysHttpClient(timeoutMs === undefined ? {} : { timeoutMs });
  http.interceptors.response.use((response) => {
    const token = (response.data as { access_token?: unknown } | null)?.access_token;
    if (typeof token === 'string') registerSecret(token);
    return response;
  });
  return http;
}
