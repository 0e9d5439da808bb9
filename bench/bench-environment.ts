/**
 * Imported first by every benchmark entry point, before any shared/ module builds its logger or metrics:
 * per-message INFO logs and one EMF line per delivery would flood the terminal (and cost the same in both
 * columns of a comparison). Values already set by the caller win.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// Node 20 here, nodejs22.x in Lambda: the AWS SDK's notice about Node 20 is not news for a benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
