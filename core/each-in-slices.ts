/** Resolves once the event loop has served the I/O that was due (setImmediate runs after the poll phase). */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `fn` for every item, in order, and lets the event loop serve due I/O after every `slice`
 * items: a loop over thousands of sockets becomes many short turns instead of one long one, so
 * the replies to other commands (a hold's database round trips, an ack) are not queued behind it.
 * Items the loop has not reached yet may change meanwhile: `fn` must look up what it needs.
 */
export async function eachInSlices<T>(items: Iterable<T>, slice: number, fn: (item: T) => void): Promise<void> {
  if (!Number.isInteger(slice) || slice < 1) throw new Error('slice must be a positive integer');
  let n = 0;
  for (const item of items) {
    fn(item);
    n += 1;
    if (n % slice === 0) await yieldToIo();
  }
}
