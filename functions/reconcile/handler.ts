import type { Context } from 'aws-lambda';
import { numberEnv } from '../../shared/config/environment';
import { retryQueueFromEnvironment } from '../../shared/delivery/retry-queue';
import { getGenesysClient } from '../../shared/genesys/genesys-client';
import { logger } from '../../shared/observability/telemetry';
import { reconcileMessages } from '../../shared/reconcile/reconcile-messages';
import { sweepPendingSends } from '../../shared/reconcile/sweep-pending-sends';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';

/** Default: a message still without a delivery receipt 15 minutes after Genesys took it is asked about. */
export const DEFAULT_RECONCILE_MIN_AGE_SECONDS = 15 * 60;
/** Per run: 5 bulk calls' worth in the common case, far inside the function timeout. */
const RECORDS_PER_RUN = 5000;

/**
 * reconcile λ, on a schedule: asks Genesys about sent messages with no settled receipt, and hands messages
 * nobody recorded an outcome for to the retry queue (README "Reconciliation").
 */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const store = statusStoreFromEnvironment();
  const minAgeSeconds = numberEnv('reconcileMinAgeSeconds', DEFAULT_RECONCILE_MIN_AGE_SECONDS);
  const receipts = await reconcileMessages({
    store,
    genesys: getGenesysClient(),
    minAgeSeconds,
    limit: RECORDS_PER_RUN,
  });
  const pending = await sweepPendingSends({
    store,
    retryQueue: retryQueueFromEnvironment,
    minAgeSeconds,
    limit: RECORDS_PER_RUN,
  });
  const report = { ...receipts, pending };
  logger.info('reconciliation finished', { ...report });
  return report;
};
