/**
 * Values kept in memory per key and written in batches (the server flushes on a timer and once more when it stops),
 * for writes whose loss in a crash costs little and whose durable commit per request would cost much: post views,
 * session expiry. `combine` merges a new value into one still pending (add for counts, the later time for expiry).
 */
export function writeBehind<K, V>(
  combine: (pending: V, added: V) => V,
  write: (batch: ReadonlyMap<K, V>) => Promise<void>,
) {
  let pending = new Map<K, V>();
  const put = (key: K, value: V): void => {
    const old = pending.get(key);
    pending.set(key, old === undefined ? value : combine(old, value));
  };
  return {
    put,
    /** The value not yet written for `key`, if any. */
    pendingFor: (key: K): V | undefined => pending.get(key),
    /** Writes what is pending, returning how many keys. If the write fails, the values are kept for the next flush. */
    async flush(): Promise<number> {
      if (pending.size === 0) return 0;
      const batch = pending;
      pending = new Map();
      try {
        await write(batch);
      } catch (err) {
        for (const [key, value] of batch) put(key, value);
        throw err;
      }
      return batch.size;
    },
  };
}

export type WriteBehind<K, V> = ReturnType<typeof writeBehind<K, V>>;
