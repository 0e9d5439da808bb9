/**
 * The answers API Gateway gives on its own (before or instead of a function), in the service's one error
 * shape `{ error: { code, message } }` (README "Answers"). The CDK construct turns each into a gateway
 * response; the local gateway answers with the same codes and API Gateway's own messages.
 */
export const GATEWAY_ERRORS = {
  ACCESS_DENIED: { code: 'access_denied', message: 'Access denied' },
  MISSING_AUTHENTICATION_TOKEN: { code: 'missing_authentication', message: 'Missing Authentication Token' },
  INVALID_SIGNATURE: { code: 'invalid_signature', message: 'Invalid signature' },
  EXPIRED_TOKEN: { code: 'expired_token', message: 'The security token included in the request is expired' },
  THROTTLED: { code: 'throttled', message: 'Too Many Requests' },
  REQUEST_TOO_LARGE: { code: 'payload_too_large', message: 'Request Too Long' },
  UNSUPPORTED_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported Media Type' },
  INTEGRATION_TIMEOUT: { code: 'gateway_timeout', message: 'Endpoint request timed out' },
  INTEGRATION_FAILURE: { code: 'bad_gateway', message: 'Internal server error' },
  DEFAULT_4XX: { code: 'request_refused', message: 'The request was refused' },
  DEFAULT_5XX: { code: 'gateway_error', message: 'Internal server error' },
} as const;

export type GatewayErrorType = keyof typeof GATEWAY_ERRORS;

/** The body API Gateway answers for `type`, as the deployed gateway response renders it. */
export function gatewayErrorBody(type: GatewayErrorType): string {
  const { code, message } = GATEWAY_ERRORS[type];
  return JSON.stringify({ error: { code, message } });
}
