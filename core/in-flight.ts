/** Counts running units of work so shutdown can wait for them to finish before closing pools. */
export function createInFlight() {
  let running = 0;
  let idle: (() => void)[] = [];
  return {
    track<T>(work: Promise<T>): Promise<T> {
      running += 1;
      return work.finally(() => {
        running -= 1;
        if (running === 0) {
          for (const resolve of idle) resolve();
          idle = [];
        }
      });
    },
    count: () => running,
    /** Resolves once nothing is running (at once when nothing is). */
    drained(): Promise<void> {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve));
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
