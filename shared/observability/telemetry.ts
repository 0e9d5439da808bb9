import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per function instance (Powertools reads POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL and POWERTOOLS_METRICS_NAMESPACE from the environment the CDK construct sets).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'genesys-messaging' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'GenesysMessaging',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'genesys-messaging',
});

/**
 * A logger for one message: its id is the correlation id of every line. A child per message, because one
 * function instance handles several messages at once (direct-invoke batches) and the parent is shared.
 */
export function messageLogger(messageId: string, keys: Record<string, string | number> = {}): Logger {
  const child = logger.createChild({ persistentKeys: { messageId, ...keys } });
  child.setCorrelationId(messageId);
  return child;
}

export type DeliveryMetric =
  | 'Sent'
  | 'Paced'
  | 'Throttled'
  | 'Retried'
  | 'Failed'
  | 'DeadLettered'
  | 'Scheduled'
  /** A send whose outcome is unknown (timeout, reset, 502/504 after the request was written). */
  | 'Ambiguous'
  /** How ambiguous sends ended: found in the conversation (recorded, not sent again)… */
  | 'AmbiguousFound'
  /** …not found there, so sent again… */
  | 'AmbiguousResent'
  /** …or sent again without a look (agentless, bot connector, non-text bodies: nowhere to look). */
  | 'AmbiguousResentUnverified'
  /** Not started: too little time left in the function; handed to the retry queue. */
  | 'Deferred';

/** Counts one delivery outcome, split by target kind so a team sees which transport struggles. */
export function countDelivery(metric: DeliveryMetric, targetKind: string): void {
  const single = metrics.singleMetric();
  single.addDimension('targetKind', targetKind);
  single.addMetric(metric, MetricUnit.Count, 1);
}
