import { buildLambda } from './bundling';

/**
 * `node --import tsx cdk/build-lambda-cli.ts <entry> <outdir>`: one function built with `buildLambda`.
 * CDK constructs are synchronous and esbuild plugins (the verified axios rewrites) need its async API, so
 * the stack runs this in a child process at synth time (cdk/function-code.ts), as CDK's own bundling does.
 */
const [entry, outdir] = process.argv.slice(2);
if (entry === undefined || outdir === undefined) {
  console.error('usage: build-lambda-cli.ts <entry> <outdir>');
  process.exit(2);
}
buildLambda({ entry, outdir, logLevel: 'error' }).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
