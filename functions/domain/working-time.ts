/**
 * Working-time arithmetic on a compiled `Calendar`: how much working time lies between two
 * instants, and when a duration of working time runs out. Instants are epoch milliseconds
 * (`number`); durations are working milliseconds. Pure functions only. Semantics in docs/clock.md.
 */
import { type Calendar, HORIZON_DAYS, NoWorkingTimeError } from './calendar';

function checkInstant(name: string, t: number): void {
  if (!Number.isFinite(t)) throw new RangeError(`${name} must be a finite epoch-millisecond instant, not ${t}`);
}

/**
 * The instant at which `duration` of working time has elapsed since `start`: the earliest instant
 * `t >= start` with `workingTimeBetween(calendar, start, t) >= duration`. So a start outside working
 * hours begins counting at the next working moment, and a target that runs out exactly at a close
 * is due at that close. A zero duration is due at `start` itself.
 * Throws `NoWorkingTimeError` if the calendar has too little working time in the next ~10 years.
 */
export function addWorkingTime(calendar: Calendar, start: number, duration: number): number {
  checkInstant('start', start);
  if (!Number.isFinite(duration) || duration < 0)
    throw new RangeError(`duration must be a non-negative number of ms, not ${duration}`);
  if (duration === 0) return start;
  if (calendar.alwaysOpen) return start + duration;
  let remaining = duration;
  const first = calendar.bucketIndex(start);
  const last = first + HORIZON_DAYS;
  for (let k = first; k <= last; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) {
      const e = iv[i + 1]!;
      if (e <= start) continue;
      const s = Math.max(iv[i]!, start);
      const available = e - s;
      if (remaining <= available) return s + remaining;
      remaining -= available;
    }
  }
  throw new NoWorkingTimeError(
    `the calendar has less working time than the target within ${HORIZON_DAYS} days of the start`,
  );
}

/** Working time in [a, b). Negative when b is before a: `workingTimeBetween(c, b, a) === -workingTimeBetween(c, a, b)`. */
export function workingTimeBetween(calendar: Calendar, a: number, b: number): number {
  checkInstant('a', a);
  checkInstant('b', b);
  if (b < a) return -workingTimeBetween(calendar, b, a);
  if (calendar.alwaysOpen) return b - a;
  let total = 0;
  const last = calendar.bucketIndex(b);
  for (let k = calendar.bucketIndex(a); k <= last; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i]!, a);
      const e = Math.min(iv[i + 1]!, b);
      if (e > s) total += e - s;
    }
  }
  return total;
}

/** Whether instant t is working time (interval ends are open: a close instant is not working). */
export function isWorkingTime(calendar: Calendar, t: number): boolean {
  checkInstant('t', t);
  if (calendar.alwaysOpen) return true;
  const iv = calendar.bucket(calendar.bucketIndex(t));
  for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= t && t < iv[i + 1]!) return true;
  return false;
}

/** The first working instant at or after t. Throws `NoWorkingTimeError` past the horizon. */
export function nextWorkingTime(calendar: Calendar, t: number): number {
  checkInstant('t', t);
  if (calendar.alwaysOpen) return t;
  const first = calendar.bucketIndex(t);
  for (let k = first; k <= first + HORIZON_DAYS; k++) {
    const iv = calendar.bucket(k);
    for (let i = 0; i < iv.length; i += 2) if (iv[i + 1]! > t) return Math.max(iv[i]!, t);
  }
  throw new NoWorkingTimeError(`the calendar has no working time within ${HORIZON_DAYS} days`);
}
