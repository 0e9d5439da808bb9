/** AWS error names that pass: throttling, the service's own faults, timeouts. */
const TRANSIENT_AWS_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServiceError',
  'InternalFailure',
  'ServiceUnavailable',
  'RequestTimeout',
  'TimeoutError',
]);

/** Errors that need a fix, whatever their status code says. */
const PERMANENT_AWS_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
  'InvalidParameterException',
  'InvalidRequestException',
]);

/**
 * Whether an AWS SDK error will likely pass by itself (throttling, 5xx, network, SDK-retryable) rather than
 * need a fix (access denied, not found, validation). Used to decide when a cached secret may stand in.
 */
export function isTransientAwsError(error: unknown): boolean {
  const { name, $metadata, $retryable } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const status = $metadata?.httpStatusCode;
  if (PERMANENT_AWS_ERRORS.has(name ?? '')) return false;
  return (
    TRANSIENT_AWS_ERRORS.has(name ?? 'Error') ||
    $retryable !== undefined ||
    status === undefined ||
    status >= 500 ||
    status === 429
  );
}
