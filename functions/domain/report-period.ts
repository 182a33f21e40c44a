/**
 * Report periods: which local dates a period word means (`resolvePeriod`: this-week, last-week,
 * this-month, last-month, quarter or a month like 2026-11) and how a span of dates reads after
 * "in" (`periodLabel`). Used by the report (report.ts), `/sla report`, `kept report` and the
 * digest. Pure domain code.
 */
import { DateTime } from 'luxon';
import type { Result } from './result';

export const PERIOD_WORDS = ['this-week', 'last-week', 'this-month', 'last-month', 'quarter'] as const;
export type PeriodWord = (typeof PERIOD_WORDS)[number];
export const DEFAULT_PERIOD: PeriodWord = 'this-month';
/** The forms a period may take, as a refusal lists them. */
export const PERIOD_FORMS = 'this-week, last-week, this-month, last-month, quarter or a month like 2026-11';

export interface Period {
  /** First local date, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last local date, inclusive. */
  to: string;
  /** What the period reads as after "in": `November 2026`, `the week of 23 November 2026`, `Q4 2026`. */
  label: string;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isoDate = (d: DateTime): string => d.toISODate()!;
const monthLabel = (d: DateTime): string => d.setLocale('en-GB').toFormat('LLLL yyyy');
const dayLabel = (d: DateTime): string => d.setLocale('en-GB').toFormat('d LLLL yyyy');
const weekLabel = (monday: DateTime): string => `the week of ${dayLabel(monday)}`;

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(text: string): boolean {
  return DATE.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/** Today's local date in `zone`, `YYYY-MM-DD`. */
export function localToday(now: number, zone: string): string {
  return isoDate(DateTime.fromMillis(now, { zone }));
}

/**
 * The local dates `word` means at instant `now` in `zone`: `this-week` and `last-week` (ISO weeks,
 * Monday to Sunday), `this-month`, `last-month`, `quarter` (the current calendar quarter) or a
 * month `YYYY-MM`. Periods that are under way end today. No word means this month.
 */
export function resolvePeriod(word: string | undefined, now: number, zone: string): Result<Period> {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  if (!today.isValid) return { ok: false, error: `${JSON.stringify(zone)} is not a time zone Kept knows.` };
  const w = (word ?? DEFAULT_PERIOD).trim().toLowerCase();
  const span = (from: DateTime, to: DateTime, label: string): Result<Period> => ({
    ok: true,
    value: { from: isoDate(from), to: isoDate(to), label },
  });
  switch (w) {
    case 'this-week': {
      const monday = today.startOf('week');
      return span(monday, today, weekLabel(monday));
    }
    case 'last-week': {
      const monday = today.startOf('week').minus({ weeks: 1 });
      return span(monday, monday.plus({ days: 6 }), weekLabel(monday));
    }
    case 'this-month':
      return span(today.startOf('month'), today, monthLabel(today));
    case 'last-month': {
      const first = today.startOf('month').minus({ months: 1 });
      return span(first, first.endOf('month'), monthLabel(first));
    }
    case 'quarter':
      return span(today.startOf('quarter'), today, `Q${today.quarter} ${today.year}`);
    default:
      break;
  }
  const m = MONTH.exec(w);
  if (m) {
    const first = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone });
    if (first.isValid && first.year >= 1970) return span(first, first.endOf('month'), monthLabel(first));
  }
  const shown = w.length > 30 ? `${w.slice(0, 30)}…` : w;
  return { ok: false, error: `"${shown}" is not a period; use ${PERIOD_FORMS}.` };
}

/** How the dates `from`..`to` read after "in": a whole or started month by its name, else the dates. */
export function periodLabel(from: string, to: string): string {
  const a = DateTime.fromISO(from, { zone: 'UTC' });
  const b = DateTime.fromISO(to, { zone: 'UTC' });
  if (!a.isValid || !b.isValid) return `${from} to ${to}`;
  if (a.day === 1 && a.hasSame(b, 'month')) return monthLabel(a);
  if (a.hasSame(b, 'day')) return dayLabel(a);
  if (a.hasSame(b, 'month')) return `${a.day}–${dayLabel(b)}`;
  if (a.hasSame(b, 'year')) return `${a.setLocale('en-GB').toFormat('d LLLL')} – ${dayLabel(b)}`;
  return `${dayLabel(a)} – ${dayLabel(b)}`;
}
