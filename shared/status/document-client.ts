import type { TranslateConfig } from '@aws-sdk/lib-dynamodb';

/**
 * How the status store's document client marshals items (every client that writes the table uses it).
 * `convertClassInstanceToMap`: the marshaller tells a map from a class instance by `value.constructor`,
 * so caller metadata with a key named `constructor` (a plain identifier, accepted) would otherwise fail
 * every write of the record. Every stored value is plain JSON (the store round-trips it), so no real class
 * instance can reach the marshaller.
 */
export const STATUS_MARSHALL_OPTIONS: NonNullable<TranslateConfig['marshallOptions']> = {
  removeUndefinedValues: true,
  convertClassInstanceToMap: true,
};
