/**
 * The one way a test waits for something the app does after answering (a Slack call made after the
 * ack, an index read trailing a write, a process printing a line): poll `check` until it holds.
 *
 * `check` holds when it returns anything but `false` without throwing, so it can be a predicate
 * (`() => calls().length === 2`) or an assertion (`() => expect(read()).toEqual(...)`), sync or
 * async; its value is returned, so a check can also read what the test goes on to assert.
 * Between tries it pauses `intervalMs` (a few ms: a bounded poll, not a sleep for timing). After
 * `timeoutMs` it fails with the check's last error (an assertion's diff), or, for a predicate, with
 * a message saying so. Throw `GiveUp` from a check to fail at once (a process that exited).
 */
export interface EventuallyOptions {
  /** How long to keep trying (default 5 s). */
  timeoutMs?: number;
  /** The pause between tries (default 10 ms). */
  intervalMs?: number;
}

/** Thrown from a check: what it waits for can no longer happen, so stop trying and fail with this. */
export class GiveUp extends Error {}

export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 10 }: EventuallyOptions = {},
): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      failure = new Error(`eventually: the check was still false after ${timeoutMs} ms`);
    } catch (error) {
      if (error instanceof GiveUp) throw error;
      failure = error;
    }
    if (Date.now() >= deadline) throw failure;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
