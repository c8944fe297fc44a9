/**
 * Runs tasks one after another per key, and tasks of different keys side by side. Password checks for one
 * account go through it so that a burst of parallel guesses is judged one at a time against the current lockout
 * state, instead of all being verified against the state read before any of them failed.
 */
export function keyedQueue() {
  const tails = new Map<number, Promise<unknown>>();
  return {
    run<T>(key: number, task: () => Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    /** Keys with work queued or running (for tests and diagnostics). */
    size: (): number => tails.size,
  };
}

export type KeyedQueue = ReturnType<typeof keyedQueue>;
