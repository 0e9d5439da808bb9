/** The envelope every EventBridge event has (rules, schedules' event input, partner event sources). */
export interface EventBridgeEnvelope {
  id: string;
  'detail-type': string;
  source: string;
  detail: unknown;
}

/** An EventBridge event delivered to a function, whatever its detail. */
export function isEventBridgeEvent(event: unknown): event is EventBridgeEnvelope {
  const e = event as Partial<EventBridgeEnvelope> | null;
  return (
    typeof e?.id === 'string' &&
    typeof e['detail-type'] === 'string' &&
    typeof e.source === 'string' &&
    'detail' in e
  );
}
