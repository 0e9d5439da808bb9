import { botSessionHooks } from '../bot/delivery-hooks';
import { sessionDeliveryStoreFromEnvironment } from '../bot/session-delivery-store';
import { numberEnv } from '../config/environment';
import { getGenesysClient } from '../genesys/genesys-client';
import { statusStoreFromEnvironment } from '../status/dynamo-status-store';
import { DEFAULT_LEASE_SECONDS } from './constants';
import { DeliveryService } from './delivery-service';
import { retryPolicyFromEnvironment } from './retry-policy';
import { retryQueueFromEnvironment } from './retry-queue';
import { sendSchedulerFromEnvironment } from './send-scheduler';

/** The delivery service wired from the environment the CDK construct (or the local stack) sets. */
export function deliveryFromEnvironment(): DeliveryService {
  const store = statusStoreFromEnvironment();
  return new DeliveryService({
    store,
    botSessions: botSessionHooks(sessionDeliveryStoreFromEnvironment(), store),
    genesys: getGenesysClient,
    retryQueue: retryQueueFromEnvironment,
    scheduler: sendSchedulerFromEnvironment,
    policy: retryPolicyFromEnvironment(),
    leaseMs: numberEnv('leaseSeconds', DEFAULT_LEASE_SECONDS) * 1000,
  });
}
