import { botSessionHooks } from '../bot/delivery-hooks';
import { sessionDeliveryStoreFromEnvironment } from '../bot/session-delivery-store';
import { ConfigurationError, ENV, numberEnv } from '../config/environment';
import { attemptDeadlineMs, LEASE_MARGIN_MS, LEASE_SECONDS, minimumAttemptMs } from '../config/timing';
import { getGenesysClient } from '../genesys/genesys-client';
import { DEFAULT_GENESYS_TIMEOUT_MS, timeoutFromEnvironment } from '../genesys/http-client';
import { statusStoreFromEnvironment } from '../status/dynamo-status-store';
import { DeliveryService } from './delivery-service';
import { retryPolicyFromEnvironment } from './retry-policy';
import { retryQueueFromEnvironment } from './retry-queue';
import { sendSchedulerFromEnvironment } from './send-scheduler';

/** The delivery service wired from the environment the CDK construct (or the local stack) sets. */
export function deliveryFromEnvironment(): DeliveryService {
  const genesysTimeoutMs = genesysTimeoutOrDefault();
  const attemptMs = attemptDeadlineMs(genesysTimeoutMs);
  const leaseMs = numberEnv('leaseSeconds', LEASE_SECONDS) * 1000;
  if (leaseMs < attemptMs + LEASE_MARGIN_MS) {
    // docs/timing.md: an attempt's hard deadline, and the writes after it, must end inside the lease.
    throw new ConfigurationError(
      `environment variable ${ENV.leaseSeconds} must be at least ${Math.ceil((attemptMs + LEASE_MARGIN_MS) / 1000)} s with ${ENV.genesysTimeoutMs}=${genesysTimeoutMs}, got ${leaseMs / 1000}`,
    );
  }
  const store = statusStoreFromEnvironment();
  return new DeliveryService({
    store,
    botSessions: botSessionHooks(sessionDeliveryStoreFromEnvironment(), store),
    genesys: getGenesysClient,
    retryQueue: retryQueueFromEnvironment,
    scheduler: sendSchedulerFromEnvironment,
    policy: retryPolicyFromEnvironment(),
    leaseMs,
    attemptMs,
    minAttemptMs: minimumAttemptMs(genesysTimeoutMs),
  });
}

/** A bad GENESYS_TIMEOUT_MS fails each Genesys call (retried within the budget, as any setup fault), not the function. */
function genesysTimeoutOrDefault(): number {
  try {
    return timeoutFromEnvironment();
  } catch {
    return DEFAULT_GENESYS_TIMEOUT_MS;
  }
}
