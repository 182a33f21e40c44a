/**
 * A calendar's week in words, shared by the Slack explanation (slack/views/explain.ts) and the web
 * request page (web/request-page.ts): the weekly hours with equal neighbouring days grouped, and
 * days without working hours as people say them. Pure domain code.
 */
import { type CalendarSpec, WEEKDAYS } from './calendar';

export const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const DAY_WORDS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The weekly hours as `{ days: 'Mon–Fri', hours: '09:00-17:00' }`, equal neighbouring days grouped, closed days left out. */
export function weeklyHours(spec: CalendarSpec): { days: string; hours: string }[] {
  const hours = spec.hours ?? {};
  const week = WEEKDAYS.map((d) => (hours[d] ?? '').replace(/\s+/g, ''));
  const groups: { from: number; to: number; text: string }[] = [];
  week.forEach((text, i) => {
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.to === i - 1) last.to = i;
    else groups.push({ from: i, to: i, text });
  });
  return groups
    .filter((g) => g.text !== '')
    .map((g) => ({
      days: g.from === g.to ? DAY_NAMES[g.from]! : `${DAY_NAMES[g.from]}–${DAY_NAMES[g.to]}`,
      hours: g.text,
    }));
}

/** Days with no working hours: `Saturday`, `the weekend`, or `Monday, Tuesday (no working hours)`. */
export function weekdaysText(weekdays: readonly number[]): string {
  if (weekdays.length > 0 && weekdays.every((d) => d >= 5))
    return weekdays.length === 1 ? DAY_WORDS[weekdays[0]!]! : 'the weekend';
  return `${[...new Set(weekdays)].map((d) => DAY_WORDS[d]!).join(', ')} (no working hours)`;
}
