import { ConfigurationError } from '../config/environment';

/**
 * The connection secret's header: its default name and the check of a configured one. A module of its own,
 * without AWS SDK imports, because the construct (synth time) reads it too.
 */
export const DEFAULT_BOT_CONNECTOR_SECRET_HEADER = 'X-Bot-Connector-Secret';
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

export function checkSecretHeaderName(name: string): string {
  if (!HEADER_NAME.test(name)) {
    throw new ConfigurationError(
      `the connection secret header name "${name}" is not a valid HTTP header name`,
    );
  }
  return name;
}
