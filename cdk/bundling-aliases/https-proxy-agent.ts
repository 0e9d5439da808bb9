/**
 * Stands in for `https-proxy-agent` (cdk/deferred-modules.ts). axios's Node adapter imports it at load, which
 * evaluates it with agent-base, debug and supports-color (they read the environment and load `tty`); it is
 * used only for an https request through a proxy (HTTPS_PROXY), so it is now required on first use.
 * axios constructs it (`new HttpsProxyAgent(options)`) and tests `instanceof` it: both reach the real class.
 */
import type createHttpsProxyAgent from 'https-proxy-agent';

type Real = typeof createHttpsProxyAgent;
let real: Real | undefined;
// A literal require: esbuild bundles the package and runs its module body on this call, not at import.
const load = (): Real => {
  real ??= require('https-proxy-agent') as Real;
  return real;
};

function HttpsProxyAgent(...args: Parameters<Real>): ReturnType<Real> {
  return load()(...args);
}
Object.defineProperty(HttpsProxyAgent, Symbol.hasInstance, {
  value: (value: unknown) => value instanceof load(),
});

export default HttpsProxyAgent as unknown as Real;
