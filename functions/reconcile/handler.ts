import type { Context } from 'aws-lambda';
import { numberEnv } from '../../shared/config/environment';
import { retryQueueFromEnvironment } from '../../shared/delivery/retry-queue';
import { getGenesysClient } from '../../shared/genesys/genesys-client';
import { DEFAULT_GENESYS_TIMEOUT_MS } from '../../shared/genesys/http-client';
import { logger } from '../../shared/observability/telemetry';
import { reconcileEventProblem, runReconciliation } from '../../shared/reconcile/run-reconciliation';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';

/** Default: a message still without a delivery receipt 15 minutes after Genesys took it is asked about. */
export const DEFAULT_RECONCILE_MIN_AGE_SECONDS = 15 * 60;

/**
 * reconcile λ, on a schedule: hands messages nobody recorded an outcome for to the retry queue, and asks
 * Genesys about sent messages with no settled receipt, each within its share of the remaining time
 * (README "Reconciliation"). Any other event is answered with an error, without a run.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const problem = reconcileEventProblem(event);
  if (problem !== undefined) {
    logger.error('reconcile function invoked with an unsupported event', { problem });
    return { ok: false, statusCode: 400, error: { code: 'unsupported_event', message: problem } };
  }
  const report = await runReconciliation({
    store: statusStoreFromEnvironment(),
    genesys: getGenesysClient(),
    retryQueue: retryQueueFromEnvironment,
    minAgeSeconds: numberEnv('reconcileMinAgeSeconds', DEFAULT_RECONCILE_MIN_AGE_SECONDS),
    remainingMs: () => context.getRemainingTimeInMillis(),
    callMs: numberEnv('genesysTimeoutMs', DEFAULT_GENESYS_TIMEOUT_MS),
  });
  logger.info('reconciliation finished', { ...report });
  return report;
};
