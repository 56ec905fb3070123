/**
 * Runs shutdown steps in order under one deadline. Every step runs even if an earlier one
 * failed or the deadline passed (late steps then get no time to hang, only to start).
 */
export async function runShutdown(
  steps: readonly [name: string, step: () => unknown][],
  deadlineMs: number,
  onError: (name: string, err: unknown) => void,
): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (const [name, step] of steps) {
    const left = Math.max(10, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(step),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${name} did not finish in time`)), left);
        }),
      ]);
    } catch (err) {
      onError(name, err);
    } finally {
      clearTimeout(timer);
    }
  }
}
