/**
 * Post views counted in memory and written in batches: a popular post would otherwise take a write transaction
 * per page view. Counts not yet written are added to what pages show, and the server writes them on a timer
 * and once more when it shuts down, so a graceful stop loses none.
 */
export function viewCounter(write: (counts: ReadonlyMap<number, number>) => void) {
  let pending = new Map<number, number>();
  return {
    record(postId: number): void {
      pending.set(postId, (pending.get(postId) ?? 0) + 1);
    },
    /** Views counted but not yet written, to add to the stored count. */
    pendingFor: (postId: number): number => pending.get(postId) ?? 0,
    /** Writes what is pending. If the write fails, the counts are kept for the next flush. */
    flush(): number {
      if (pending.size === 0) return 0;
      const batch = pending;
      pending = new Map();
      try {
        write(batch);
      } catch (err) {
        for (const [id, n] of batch) pending.set(id, (pending.get(id) ?? 0) + n);
        throw err;
      }
      return batch.size;
    },
  };
}

export type ViewCounter = ReturnType<typeof viewCounter>;
