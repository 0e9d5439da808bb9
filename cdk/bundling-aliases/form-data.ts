/**
 * Bundling alias for the `form-data` package. axios's Node build imports it for multipart bodies, and it
 * pulls in mime-types and its 137 KB mime-db. Node.js 22 has a spec-compliant FormData built in, which
 * axios supports as well, so multipart keeps working; this service sends JSON only in any case.
 */
export default globalThis.FormData;
