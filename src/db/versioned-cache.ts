/**
 * Values read through `read`, one per key, kept in memory until `version` changes (a cache epoch, see recentEpochs):
 * what nearly every request needs and almost never changes, such as the instance settings, costs no statement while
 * the version stands. Readers of a key arriving while its read is under way share it; a failed read is not kept.
 * At most `maxEntries` keys are kept; past that the cache starts over.
 */
export function versionedCache<K, V>(
  version: () => Promise<string>,
  read: (key: K) => Promise<V>,
  { maxEntries = 10_000 }: { maxEntries?: number } = {},
): (key: K) => Promise<V> {
  let keptAt: string | null = null;
  const kept = new Map<K, Promise<V>>();
  return async (key) => {
    const now = await version();
    if (now !== keptAt) {
      kept.clear();
      keptAt = now;
    }
    let value = kept.get(key);
    if (value === undefined) {
      if (kept.size >= maxEntries) kept.clear();
      const reading = read(key);
      value = reading;
      kept.set(key, reading);
      reading.catch(() => {
        if (kept.get(key) === reading) kept.delete(key);
      });
    }
    return value;
  };
}
