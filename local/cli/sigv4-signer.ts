import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { RequestSigner } from '../messages-api';

/**
 * SigV4 for a deployed API (the CDK stack's REST API uses IAM authorization on /messages): the AWS SDK's
 * own signer and its default credential chain (environment, shared config and SSO, container, instance).
 */

const EXECUTE_API_HOST = /^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The region in an execute-api host name (`abc123.execute-api.eu-west-1.amazonaws.com`), if it is one. */
export function regionOfApiUrl(url: URL): string | undefined {
  return EXECUTE_API_HOST.exec(url.hostname)?.[1];
}

export interface SigV4SignerOptions {
  region: string;
  /** Default: the SDK's default credential provider chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Default `execute-api` (API Gateway). */
  service?: string;
}

export function sigV4Signer(options: SigV4SignerOptions): RequestSigner {
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  return async ({ method, url, headers, body }) => {
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      // The host is signed; fetch sends the same value from the URL itself.
      headers: { ...headers, host: url.host },
      ...(body !== undefined && { body }),
    });
    const { host: _host, ...rest } = signed.headers;
    return rest;
  };
}
