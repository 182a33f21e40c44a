/**
 * A clock the test holds: the app, the domain and the worker read it instead of the machine's, so
 * no test depends on today's date against a working-hours calendar. It stands still until the test
 * moves it (`advance`, `set`).
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
}

export function testClock(start = WORKING_TUESDAY, zone = NEW_YORK): TestClock {
  const parse = (iso: string, z: string) => {
    const at = DateTime.fromISO(iso, { zone: z });
    if (!at.isValid) throw new Error(`not an instant: ${iso}`);
    return at.toMillis();
  };
  let at = parse(start, zone);
  return {
    now: () => new Date(at),
    ms: () => at,
    advance: (ms) => void (at += ms),
    set: (iso, z = zone) => void (at = parse(iso, z)),
  };
}
