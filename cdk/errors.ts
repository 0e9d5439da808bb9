/** A construct prop that cannot work, named with the reason, raised at synth time before anything deploys. */
export class GenesysMessagingPropsError extends Error {
  override name = 'GenesysMessagingPropsError';
  constructor(
    readonly prop: string,
    reason: string,
  ) {
    super(`GenesysMessaging: ${prop} ${reason}`);
  }
}

/** A `cdk -c key=value` (or cdk.json context) setting that cannot work. */
export class ContextError extends Error {
  override name = 'ContextError';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`context "${key}" ${reason}`);
  }
}
