import http from 'node:http';
import https from 'node:https';

/**
 * Bundling alias for the `follow-redirects` package (with its `debug` logger, ~19 KB). axios's Node adapter
 * imports it for requests with `maxRedirects` above 0; our Genesys client sets `maxRedirects: 0` (a redirect
 * must never carry our token to another host), for which axios uses Node's own `http` / `https` transports.
 * Handing it those same transports makes "never follow a redirect" hold for the whole bundle.
 */
export default { http, https };
