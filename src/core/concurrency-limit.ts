/**
 * Runs at most `n` of the tasks given to it at once; the others wait their turn, first come first served. A task
 * that fails frees its place like one that succeeds.
 */
export function concurrencyLimit(n: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < n) running += 1;
    // The place is handed over by the task that ends (below), so `running` stays as it is.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
