/**
 * A clock the test holds: the app, the domain and the worker read it instead of the machine's, so
 * no test depends on today's date against a working-hours calendar. It stands still until the test
 * moves it (`advance`, `set`). Its timers (`after`) go off when the test moves it past them, so
 * code that waits (a delayed work item) is tested without waiting for real.
 */
import { DateTime } from 'luxon';

/** Tuesday 24 November 2026, 10:00 in New York: inside the example company's Mon-Fri 09-17 hours. */
export const WORKING_TUESDAY = '2026-11-24T10:00';
export const NEW_YORK = 'America/New_York';

export interface TestClock {
  /** The instant now, as the app's `now` dependency wants it. */
  now(): Date;
  /** The instant now, in epoch milliseconds. */
  ms(): number;
  advance(ms: number): void;
  /** `iso` read in `zone` when it carries no offset. */
  set(iso: string, zone?: string): void;
  /** Resolves once the clock has been moved `ms` on from now (as a `setTimeout` on this clock). */
  after(ms: number): Promise<void>;
  /** How far off each timer still waiting is, soonest first. */
  timers(): number[];
}

export function testClock(start = WORKING_TUESDAY, zone = NEW_YORK): TestClock {
  const parse = (iso: string, z: string) => {
    const at = DateTime.fromISO(iso, { zone: z });
    if (!at.isValid) throw new Error(`not an instant: ${iso}`);
    return at.toMillis();
  };
  let at = parse(start, zone);
  let waiting: { due: number; resolve: () => void }[] = [];
  const moved = () => {
    const due = waiting.filter((t) => t.due <= at);
    waiting = waiting.filter((t) => t.due > at);
    for (const t of due) t.resolve();
  };
  return {
    now: () => new Date(at),
    ms: () => at,
    advance: (ms) => {
      at += ms;
      moved();
    },
    set: (iso, z = zone) => {
      at = parse(iso, z);
      moved();
    },
    after: (ms) => new Promise<void>((resolve) => waiting.push({ due: at + ms, resolve })),
    timers: () => waiting.map((t) => t.due - at).sort((a, b) => a - b),
  };
}
