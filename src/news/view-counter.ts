import { writeBehind } from '../db/write-behind.js';

/**
 * Post views counted in memory and written in batches: a popular post would otherwise take a write transaction
 * per page view. Counts not yet written are added to what pages show, and the server writes them on a timer
 * and once more when it shuts down, so a graceful stop loses none.
 */
export function viewCounter(write: (counts: ReadonlyMap<number, number>) => Promise<void>) {
  const counts = writeBehind<number, number>((pending, added) => pending + added, write);
  return {
    record: (postId: number): void => counts.put(postId, 1),
    /** Views counted but not yet written, to add to the stored count. */
    pendingFor: (postId: number): number => counts.pendingFor(postId) ?? 0,
    /** Writes what is pending. If the write fails, the counts are kept for the next flush. */
    flush: counts.flush,
  };
}

export type ViewCounter = ReturnType<typeof viewCounter>;
