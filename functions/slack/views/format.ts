/**
 * Text for Slack messages: escaping, cutting to Slack's limits, counts, mentions, times, links,
 * amounts and the words for a request's clocks. Pure functions of their arguments; the Block Kit
 * pieces that carry this text are in blocks.ts.
 */
import { DateTime } from 'luxon';
import { formatAmount } from '../../domain/agreement-text';
import { formatDuration, MINUTE_MS } from '../../domain/duration';
import { type RequestStatus, SYSTEM_ACTOR } from '../../domain/request-fields';
import { isChannelId, isUsergroupId, isUserId } from '../../domain/slack-ids';
import type { ClockView, TargetKind } from '../../domain/target-clock';

// ---------------------------------------------------------------------------------------------
// Escaping, cutting and counting

/** Slack mrkdwn control characters; user text must never ping @channel or forge links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts escaped mrkdwn to `max` characters, ending with `…`, without leaving half an `&amp;` entity behind. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

/**
 * Cuts `text` to `max` characters, ending with `…` when cut. Unlike `cut`, it keeps a trailing `&`
 * and letters as they are: it is for plain text (titles, options, text not yet escaped), where
 * `&amp` is what the user wrote, not half of an entity.
 */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `1 request`, `2 requests`; `many` for the irregular ones (`2 people`). */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Escaped text in curly quotes. */
export const quoted = (note: string) => `“${escapeMrkdwn(note)}”`;

/** `IT's`, `Sales'`: plain text, not escaped. */
export const possessive = (name: string): string => (/s$/i.test(name) ? `${name}'` : `${name}'s`);

// ---------------------------------------------------------------------------------------------
// Mentions and links

/** `<@U123>` for a Slack user ID; anything else is shown as escaped text. */
export const mentionUser = (id: string): string => (isUserId(id) ? `<@${id}>` : escapeMrkdwn(id));
export const mentionChannel = (id: string): string => (isChannelId(id) ? `<#${id}>` : escapeMrkdwn(id));
export const mentionUsergroup = (id: string): string => (isUsergroupId(id) ? `<!subteam^${id}>` : escapeMrkdwn(id));

/** Mentions of `users`, at most `max` of them, then `and N more`. */
export function mentionList(users: readonly string[], max = 20): string {
  const shown = users.slice(0, max).map(mentionUser).join(', ');
  return users.length > max ? `${shown} and ${users.length - max} more` : shown;
}

/** Who did something: a user mention, or `Kept` for what the scan recorded (never a mention). */
export const actorText = (actor: string): string => (actor === SYSTEM_ACTOR ? 'Kept' : mentionUser(actor));

/** A link to a Slack permalink; undefined when the text is not a plain https URL. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https:\/\/[^\s<>|]+$/.test(url) ? url : undefined;
}

/** `<url|label>` for a safe permalink, else the label alone (the label is mrkdwn the caller escaped). */
export const link = (url: string | undefined, label: string): string => {
  const safe = safeUrl(url);
  return safe ? `<${safe}|${label}>` : label;
};

/** `50 points`, `€50.00`, escaped (an unknown unit is written after the number as given). */
export const amountText = (amount: number, unit: string): string => escapeMrkdwn(formatAmount(amount, unit));

// ---------------------------------------------------------------------------------------------
// Times

/** The date part of an ISO timestamp: `2026-11-03`. */
export const dateOf = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : 'an unknown date');

/** `2026-11-25 14:30 UTC`: what a Slack client that cannot render a date token shows. */
function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A Slack date token: each reader sees the instant in their own time zone. */
export function dateToken(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${utcText(ms)}>`;
}

/** `2h 10m`, `35m`, `under 1m` (working time; minute precision, as formatDuration). */
export function spokenDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return 'under 1m';
  return formatDuration(abs).replace(/h(?=\d)/, 'h ');
}

function shortZone(dt: DateTime): string {
  const us = dt.offsetNameShort ?? '';
  if (!us.startsWith('GMT') && !us.startsWith('UTC+') && !us.startsWith('UTC-')) return us;
  // en-US names only American zones; en-GB knows CET, BST and friends.
  const gb = dt.setLocale('en-GB').offsetNameShort ?? '';
  return gb && !gb.startsWith('GMT+') && !gb.startsWith('GMT-') ? gb : us;
}

/** `Wed 25 Nov, 15:30 CET`: an instant in the reader's IANA zone (UTC when the zone is unknown). */
export function localTime(ms: number, timezone: string): string {
  let dt = DateTime.fromMillis(ms, { zone: timezone, locale: 'en-US' });
  if (!dt.isValid) dt = DateTime.fromMillis(ms, { zone: 'UTC', locale: 'en-US' });
  return `${dt.toFormat('ccc d LLL, HH:mm')} ${shortZone(dt)}`;
}

// ---------------------------------------------------------------------------------------------
// A request's clocks

/** The name of a target kind, as the card and the DMs show it. */
export const TARGET_LABEL: Record<TargetKind, string> = { response: 'Response', resolution: 'Resolution' };

/** The mark in front of a clock that needs attention. */
export function mark(status: ClockView['status']): string {
  if (status === 'breached') return ':red_circle: ';
  if (status === 'at_risk') return ':warning: ';
  return '';
}

/** What is left of a clock, in words: `2h 10m of working time left`, `overdue by 35m of working time`, … */
export function remainingText(
  view: ClockView,
  requestStatus?: RequestStatus,
  due: (ms: number) => string = dateToken,
): string {
  if (view.state === 'met')
    return `met${view.metAt !== null ? ` ${due(view.metAt)}` : ''}${view.metLate ? ', late' : ''}`;
  const left =
    view.remaining < 0
      ? `overdue by ${spokenDuration(view.remaining)} of working time`
      : `${spokenDuration(view.remaining)} of working time left`;
  if (view.state === 'paused') {
    const why =
      requestStatus === 'cancelled'
        ? 'stopped — the request was cancelled'
        : requestStatus === 'waiting_on_third_party'
          ? 'paused — waiting on a third party'
          : 'paused — waiting on the requester';
    return view.remaining < 0 ? `${why} · ${left}` : why;
  }
  return left;
}
