/**
 * Bundling alias for the `form-data` package. axios's Node build imports it for multipart bodies, and it
 * pulls in mime-types and its 137 KB mime-db. Node.js 22 has a spec-compliant FormData built in, which
 * axios supports as well, so multipart keeps working; this service sends JSON only in any case.
 *
 * Looked up on use, not at import: reading `globalThis.FormData` makes Node load undici (see
 * cdk/axios-load-time.ts), and axios keeps this class from import on (`platform.classes.FormData`).
 */
function FormData(...args: ConstructorParameters<typeof globalThis.FormData>): globalThis.FormData {
  return new globalThis.FormData(...args);
}
Object.defineProperty(FormData, Symbol.hasInstance, {
  value: (value: unknown) => value instanceof globalThis.FormData,
});

export default FormData as unknown as typeof globalThis.FormData;
