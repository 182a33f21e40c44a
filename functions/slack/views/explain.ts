/**
 * Block Kit for "Why this due time?" (`/sla explain ID` and the card's button): for each target,
 * how it was counted and the stretches that make up its due instant (domain/explain.ts), in the
 * reader's time zone. Pure functions of their arguments.
 */

import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { type CalendarSpec, WEEKDAYS } from '../../domain/calendar';
import { weekdaysText, weeklyHours } from '../../domain/calendar-words';
import type { SkippedOverride, SkipReason, Stretch, TargetExplanation } from '../../domain/explain';
import type { Request } from '../../domain/request';
import type { TargetKind } from '../../domain/target-clock';
import { context, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import { cut, escapeMrkdwn, localTime, spokenDuration, TARGET_LABEL } from './format';

/** At most this many stretch lines per target; longer lists keep their start and their end. */
export const STRETCH_LINES_MAX = 12;

/** `Mon–Fri 09:00-17:00, Sat 10:00-16:00`: a calendar's weekly hours, equal neighbouring days grouped. */
export function hoursText(spec: CalendarSpec): string {
  return weeklyHours(spec)
    .map((g) => `${g.days} ${g.hours.replace(/,/g, ', ')}`)
    .join('; ');
}

/** How the provider's clock counts: `working hours (Mon–Fri 09:00-17:00, America/New_York; US public holidays off)`. */
export function countingText(spec: CalendarSpec, providerName: string): string {
  const is24x7 = WEEKDAYS.every((d) => !Object.hasOwn(spec.hours ?? {}, d));
  const off: string[] = [];
  if (spec.holidays?.country)
    off.push(
      `${escapeMrkdwn(spec.holidays.country.toUpperCase())}${spec.holidays.region ? `-${escapeMrkdwn(spec.holidays.region.toUpperCase())}` : ''} public holidays`,
    );
  const dates = spec.holidays?.dates ?? [];
  if (dates.length > 0) off.push(dates.length <= 3 ? dates.join(', ') : `${dates.length} more dates`);
  const own = Object.keys(spec.overrides ?? {}).sort();
  const holidays = `${off.length > 0 ? `; ${off.join(' and ')} off` : ''}${own.length > 0 ? `; own hours on ${own.length <= 3 ? own.join(', ') : `${own.length} dates`}` : ''}`;
  const zone = escapeMrkdwn(spec.timezone);
  if (is24x7)
    return holidays !== ''
      ? `calendar time, around the clock (${zone}${holidays})`
      : 'calendar time, around the clock, every day';
  return `${escapeMrkdwn(providerName)}'s working hours (${escapeMrkdwn(hoursText(spec))}, ${zone}${holidays})`;
}

/** `Wed 25 Nov, 17:00 → Fri 27 Nov, 09:00 EST`, or `Wed 25 Nov, 15:00 → 17:00 EST` within one day. */
function spanText(from: number, to: number, zone: string): string {
  const a = localTime(from, zone);
  const b = localTime(to, zone);
  const dayOf = (s: string) => s.slice(0, s.indexOf(','));
  const timeOf = (s: string) => s.slice(s.indexOf(',') + 2);
  if (dayOf(a) === dayOf(b) && a.slice(a.lastIndexOf(' ')) === b.slice(b.lastIndexOf(' ')))
    return `${a.slice(0, a.lastIndexOf(' '))} → ${timeOf(b)}`;
  return `${a} → ${b}`;
}

/** Why a stretch was skipped, in words. */
export function reasonText(reason: SkipReason): string {
  switch (reason.kind) {
    case 'closed':
      return 'outside working hours';
    case 'days_off':
      return weekdaysText(reason.weekdays);
    case 'holiday': {
      const names = reason.holidays.map((h) => (h.name ? escapeMrkdwn(h.name) : `a day off (${h.date})`));
      const also = reason.weekdays.length > 0 ? ` and ${weekdaysText(reason.weekdays)}` : '';
      return `holiday: ${names.join(', ')}${also}`;
    }
    case 'override': {
      const days = reason.days.map(overrideDayText).join('; ');
      const names = reason.holidays.map((h) => (h.name ? escapeMrkdwn(h.name) : `a day off (${h.date})`));
      const also = [
        ...(names.length > 0 ? [`holiday: ${names.join(', ')}`] : []),
        ...(reason.weekdays.length > 0 ? [weekdaysText(reason.weekdays)] : []),
      ];
      return `${days}${also.length > 0 ? ` and ${also.join(' and ')}` : ''}`;
    }
    case 'paused':
      return reason.orThirdParty
        ? 'paused — waiting on the requester or a third party'
        : 'paused — waiting on the requester';
    case 'stopped':
      return 'stopped — the request was cancelled';
    case 'met':
      return 'met, until it was reopened';
  }
}

/** `24 Dec: short day, 09:00–13:00`, `26 Dec: own hours, 12:00–20:00` or `31 Dec: closed`. */
export function overrideDayText(day: SkippedOverride): string {
  const date = DateTime.fromISO(day.date, { zone: 'UTC' }).toFormat('d LLL');
  if (day.hours === '') return `${date}: closed`;
  const ranges = day.hours
    .split(',')
    .map((r) => r.trim().replace('-', '–'))
    .join(', ');
  return `${date}: ${day.shorter ? 'short day' : 'own hours'}, ${ranges}`;
}

function stretchLine(s: Stretch, zone: string): string {
  const when = spanText(s.from, s.to, zone);
  return s.type === 'counted'
    ? `:large_green_square: ${when} · counted ${spokenDuration(s.to - s.from)}`
    : `:white_square: ${when} · skipped: ${reasonText(s.reason)}`;
}

/** The stretch lines, at most STRETCH_LINES_MAX: a long list keeps its first and last lines and sums up the middle. */
export function stretchLines(stretches: readonly Stretch[], zone: string): string[] {
  if (stretches.length <= STRETCH_LINES_MAX) return stretches.map((s) => stretchLine(s, zone));
  const head = Math.floor((STRETCH_LINES_MAX - 1) / 2);
  const tail = STRETCH_LINES_MAX - 1 - head;
  const middle = stretches.slice(head, stretches.length - tail);
  const counted = middle.filter((s) => s.type === 'counted');
  const ms = counted.reduce((n, s) => n + s.to - s.from, 0);
  return [
    ...stretches.slice(0, head).map((s) => stretchLine(s, zone)),
    `… ${counted.length} more working ${counted.length === 1 ? 'stretch' : 'stretches'} (${spokenDuration(ms)} counted) and the time between them`,
    ...stretches.slice(stretches.length - tail).map((s) => stretchLine(s, zone)),
  ];
}

/** The closing line: where the counting ended, and where the clock stands now. */
function endLine(e: TargetExplanation, zone: string): string {
  const counted = spokenDuration(e.counted);
  const now = e.now;
  switch (e.end.kind) {
    case 'due': {
      const due = `*${counted} counted → due ${localTime(e.end.at, zone)}*`;
      if (now.state === 'met')
        return `${due} · met${now.metAt !== null ? ` ${localTime(now.metAt, zone)}` : ''}${now.metLate ? ', late' : ', on time'}`;
      if (now.state === 'paused') return `${due} · paused now, already past its target`;
      return now.remaining < 0
        ? `${due} · overdue by ${spokenDuration(now.remaining)} of working time`
        : `${due} · ${spokenDuration(now.remaining)} of working time left now`;
    }
    case 'met':
      return `*${counted} counted → met ${localTime(e.end.at, zone)}*, with ${spokenDuration(e.target - e.counted)} to spare`;
    case 'paused':
      return `*${counted} counted, then paused ${localTime(e.end.at, zone)}* · ${spokenDuration(e.target - e.counted)} of working time left when it runs again`;
  }
}

function targetSection(e: TargetExplanation, zone: string): string {
  const head = `*${TARGET_LABEL[e.kind]}* · a target of ${spokenDuration(e.target)} of working time, from ${localTime(e.startedAt, zone)}`;
  return [head, ...stretchLines(e.stretches, zone), endLine(e, zone)].join('\n');
}

export interface ExplainInput {
  request: Pick<Request, 'id' | 'title' | 'priority'>;
  explanations: Record<TargetKind, TargetExplanation>;
  providerName: string;
  calendar: CalendarSpec;
  /** The reader's IANA time zone. */
  zone: string;
}

/** "Why this due time?": how the request's targets were counted, stretch by stretch. */
export function explainMessage(input: ExplainInput): SlackMessage {
  const { request, zone } = input;
  const how = countingText(input.calendar, input.providerName);
  const title = `*${escapeMrkdwn(request.id)} · ${escapeMrkdwn(request.title)}* (${escapeMrkdwn(request.priority)})`;
  const blocks: KnownBlock[] = [
    section(cut(`${title}\nWhy its due times are what they are: counted in ${how}.`, MAX_SECTION_TEXT)),
    ...(['response', 'resolution'] as const).map((k) => section(targetSection(input.explanations[k], zone))),
    context(
      `Times are in your time zone (${escapeMrkdwn(zone)}). :large_green_square: counted · :white_square: skipped. A priority change counts again from the filing.`,
    ),
  ];
  const text = `${escapeMrkdwn(request.id)} · ${escapeMrkdwn(request.title)}: due times counted in ${how}`;
  return { text: cut(text, MAX_SECTION_TEXT), blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}

/** The fallback zone when Slack does not say the reader's: the provider's own. */
export const zoneOrFallback = (zone: string | undefined, fallback: string): string =>
  zone && DateTime.local().setZone(zone).isValid ? zone : fallback;
