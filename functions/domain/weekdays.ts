/**
 * The days of the week as Kept writes them (calendars' hours, the digest's day), Monday first.
 * Its own module so the directory's store can name them without loading the calendar's written
 * shape (issue #22); calendar-spec.ts re-exports them.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
