/** Concurrency limits for work that shares one process (the local front door, the in-process worker). */

/** Runs at most `max` of the functions given to it at once; the others wait their turn, in order. */
export function limitTo(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (fn) => {
    if (active < max) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finisher hands its place over
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
