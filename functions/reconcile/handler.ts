import type { Context } from 'aws-lambda';
import { numberEnv } from '../../shared/config/environment';
import { getGenesysClient } from '../../shared/genesys/genesys-client';
import { logger } from '../../shared/observability/telemetry';
import { reconcileMessages } from '../../shared/reconcile/reconcile-messages';
import { statusStoreFromEnvironment } from '../../shared/status/dynamo-status-store';

/** Default: a message still without a delivery receipt 15 minutes after Genesys took it is asked about. */
export const DEFAULT_RECONCILE_MIN_AGE_SECONDS = 15 * 60;
/** Per run: 5 bulk calls' worth in the common case, far inside the function timeout. */
const RECORDS_PER_RUN = 5000;

/** reconcile λ: on a schedule, asks Genesys about sent messages with no settled receipt (README "Status"). */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  const report = await reconcileMessages({
    store: statusStoreFromEnvironment(),
    genesys: getGenesysClient(),
    minAgeSeconds: numberEnv('reconcileMinAgeSeconds', DEFAULT_RECONCILE_MIN_AGE_SECONDS),
    limit: RECORDS_PER_RUN,
  });
  logger.info('reconciliation finished', { ...report });
  return report;
};
