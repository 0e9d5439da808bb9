/**
 * Stands in for Node's `http2` module (cdk/deferred-modules.ts). axios imports it at load for its HTTP/2
 * transport, which our clients never ask for (`httpVersion` stays 1), and Node's http2 is a sizeable module to
 * load at every cold start (with the https-proxy-agent stand-in: 1.2 MiB less peak memory, `npm run bench`).
 * Each of the real module's exports is looked up on first use.
 */
import { createRequire } from 'node:module';

type Http2 = typeof import('node:http2');
let real: Http2 | undefined;
const load = (): Http2 => {
  real ??= createRequire(import.meta.url)('node:http2') as Http2;
  return real;
};

/** The real module's exports (test/cdk/bundling.test.ts compares them with this Node's `http2`). */
export const HTTP2_EXPORTS = [
  'connect',
  'constants',
  'createServer',
  'createSecureServer',
  'getDefaultSettings',
  'getPackedSettings',
  'getUnpackedSettings',
  'performServerHandshake',
  'sensitiveHeaders',
  'Http2ServerRequest',
  'Http2ServerResponse',
] as const satisfies readonly (keyof Http2)[];

const http2 = {} as Http2;
for (const name of HTTP2_EXPORTS) {
  Object.defineProperty(http2, name, { enumerable: true, get: () => load()[name] });
}

export default http2;
