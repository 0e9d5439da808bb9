/**
 * A value built on first use and kept for warm invocations; a build that failed (a missing variable, a
 * client that could not load) is forgotten, so the next call tries again instead of failing for good.
 */
export function builtOnFirstUse<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (value === undefined) {
      const building = build();
      value = building;
      building.catch(() => {
        if (value === building) value = undefined;
      });
    }
    return value;
  };
}
