/**
 * Durations of working time.
 *
 * Representation: a duration is a whole number of **milliseconds** of working time (a plain
 * `number`), the same unit as the epoch-millisecond instants used everywhere in the clock.
 * The written form only ever has minute precision: `30m`, `4h`, `1h30m`.
 */
import type { Result } from './result';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
/** A calendar day of 24 hours (UTC days; a local day may be 23 or 25 hours). */
export const DAY_MS = 24 * HOUR_MS;

/** The longest duration we accept in writing: 100,000 hours (about 11 years of 24x7 time). */
export const MAX_DURATION_MS = 100_000 * HOUR_MS;

const FORMS = 'use forms like 30m, 4h, 1h30m';

/** Reads the digits of `text` from `from`; returns the value and where the digits end. */
function readDigits(text: string, from: number): { value: number; end: number } {
  let end = from;
  let value = 0;
  while (end < text.length && end - from < 10) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    value = value * 10 + (code - 48);
    end++;
  }
  return { value, end };
}

/**
 * Parses a written working-time duration. Accepted forms: `<H>h`, `<M>m`, `<H>h<M>m` with M under 60
 * when hours are present. The value must be more than zero. Never throws: any input, including
 * non-strings, gives a result. Scans the text once by hand (no regular expression).
 */
export function parseDuration(text: unknown): Result<number> {
  if (typeof text !== 'string') return { ok: false, error: `a duration must be text; ${FORMS}` };
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const bad: Result<number> = { ok: false, error: `${shown} is not a duration; ${FORMS}` };
  let pos = 0;
  let hours: number | undefined;
  let minutes: number | undefined;
  const first = readDigits(text, pos);
  if (first.end === pos) return bad;
  pos = first.end;
  if (text[pos] === 'h') {
    hours = first.value;
    pos++;
    if (pos < text.length) {
      const second = readDigits(text, pos);
      if (second.end === pos || text[second.end] !== 'm') return bad;
      minutes = second.value;
      pos = second.end + 1;
      if (minutes >= 60) return bad;
    }
  } else if (text[pos] === 'm') {
    minutes = first.value;
    pos++;
  } else {
    return bad;
  }
  if (pos !== text.length) return bad;
  const ms = (hours ?? 0) * HOUR_MS + (minutes ?? 0) * MINUTE_MS;
  if (ms === 0) return { ok: false, error: `${shown} is zero; a duration must be longer than that` };
  if (ms > MAX_DURATION_MS) return { ok: false, error: `${shown} is too long; the longest accepted is 100000h` };
  return { ok: true, value: ms };
}

/**
 * Writes a duration in the canonical form: whole hours then minutes under 60, `0m` for zero.
 * Any part under a minute is dropped (rounded toward zero), so `parseDuration(formatDuration(x))`
 * gives back `x` for every positive whole-minute `x`. Negative values are written with a leading `-`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const totalMinutes = Math.floor(ms / MINUTE_MS);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}
