import { AWS_CONNECT_TIMEOUT_MS, AWS_MAX_ATTEMPTS, AWS_REQUEST_TIMEOUT_MS } from './timing';

/**
 * The configuration every AWS SDK client of the functions gets (DynamoDB, SQS, Scheduler): without a
 * request timeout, a hung connection holds a call (and a lease) until Lambda kills the function.
 */
export const AWS_CLIENT_CONFIG = {
  maxAttempts: AWS_MAX_ATTEMPTS,
  requestHandler: {
    requestTimeout: AWS_REQUEST_TIMEOUT_MS,
    connectionTimeout: AWS_CONNECT_TIMEOUT_MS,
    // Newer SDK handlers only warn on a request timeout unless told to fail the request.
    throwOnRequestTimeout: true,
  },
} as const;
