/**
 * Kudos: a one-line thank-you from one person to one or more colleagues, by `/kudos`, the "Give
 * kudos" message shortcut or an emoji reaction. What the command text says, who may be thanked,
 * how many a person may give in a day (in their own time zone) and which departments a kudos
 * counts for are decided here and nowhere else. Pure domain code: instants are epoch milliseconds.
 */

import { MINUTE_MS } from './duration';
import type { MessageRef } from './message-ref';
import { allBreaches, characters, parseRequestId, type Request } from './request';
import type { Result } from './result';
import { isUserId } from './slack-ids';
import { localDayOf } from './weeks';

export const KUDOS_MESSAGE_MAX = 500;
/** Recipients of one kudos (each counts as one against the giver's daily quota). */
export const KUDOS_RECIPIENTS_MAX = 10;
export const KUDOS_VALUES_MAX = 5;
/** A reaction removed within this long after it was added takes its kudos back. */
export const KUDOS_UNDO_MS = 5 * MINUTE_MS;

/** `thanks`: the "Say thanks" button of a requester's resolved DM (its form). */
export const KUDOS_SOURCES = ['command', 'shortcut', 'reaction', 'thanks'] as const;
export type KudosSource = (typeof KUDOS_SOURCES)[number];

const VALUE = /^#([a-z][a-z0-9_-]{0,29})$/;

/** What `/kudos` was told (escaped mentions), before anyone was looked up. */
export interface KudosText {
  recipients: string[];
  requestId?: string;
  message: string;
  /** `#ownership` -> `ownership`: lowercase words, in order, without repeats. */
  values: string[];
}

/** The user ID in `<@U123|ana>` or `<@U123>`. */
function mentionOf(word: string): string | undefined {
  const m = /^<@([^|>]+)(?:\|[^>]*)?>[,.;:!]*$/.exec(word);
  return m && isUserId(m[1]!) ? m[1] : undefined;
}

export const KUDOS_USAGE =
  '`/kudos @someone [ID] message [#value]`, e.g. `/kudos @ana IT-42 fixed my laptop before the board meeting #ownership`';

/**
 * `/kudos <@U1|ana> <@U2|bo> IT-42 thanks for the quick fix #ownership #speed`: the leading mentions
 * are the recipients (commas and "and" between them are fine), then an optional request ID, then the
 * message. `#value` tags anywhere in the message are read as values; trailing tags are left out of the
 * message text.
 */
export function parseKudosText(text: string): Result<KudosText> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const recipients: string[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!;
    const user = mentionOf(word);
    if (user) {
      if (!recipients.includes(user)) recipients.push(user);
      continue;
    }
    if (recipients.length > 0 && /^(and|&|,)$/i.test(word) && i + 1 < words.length && mentionOf(words[i + 1]!))
      continue;
    break;
  }
  if (recipients.length === 0) {
    if (words[0]?.startsWith('@'))
      return {
        ok: false,
        error: `Kept could not read ${words[0].slice(0, 40)} as a person: pick them from Slack's list as you type @. ${KUDOS_USAGE}.`,
      };
    return { ok: false, error: `Who are you thanking? ${KUDOS_USAGE}.` };
  }
  let requestId: string | undefined;
  const next = words[i];
  if (next !== undefined && parseRequestId(next)) {
    requestId = parseRequestId(next);
    i++;
  }
  const rest = words.slice(i);
  const values: string[] = [];
  for (const word of rest) {
    const m = VALUE.exec(word.toLowerCase());
    if (m && !values.includes(m[1]!)) values.push(m[1]!);
  }
  let end = rest.length;
  while (end > 0 && VALUE.test(rest[end - 1]!.toLowerCase())) end--;
  const message = rest.slice(0, end).join(' ');
  return checkKudosContent({ recipients, ...(requestId ? { requestId } : {}), message, values });
}

/** Limits every kudos must keep, whatever surface it came from. */
export function checkKudosContent(input: KudosText): Result<KudosText> {
  const message = input.message.trim();
  if (input.recipients.length === 0) return { ok: false, error: 'Pick at least one person to thank.' };
  if (input.recipients.length > KUDOS_RECIPIENTS_MAX)
    return {
      ok: false,
      error: `That is ${input.recipients.length} people; thank up to ${KUDOS_RECIPIENTS_MAX} at once.`,
    };
  if (message.length === 0)
    return {
      ok: false,
      error: `Say what you are thanking them for: a kudos without a message is not sent. ${KUDOS_USAGE}.`,
    };
  const length = characters(message);
  if (length > KUDOS_MESSAGE_MAX)
    return { ok: false, error: `The message is ${length} characters; keep it to ${KUDOS_MESSAGE_MAX}.` };
  if (input.values.length > KUDOS_VALUES_MAX)
    return { ok: false, error: `That is ${input.values.length} #values; use up to ${KUDOS_VALUES_MAX}.` };
  return { ok: true, value: { ...input, message } };
}

/** `ownership, #speed` -> `['ownership', 'speed']`; undefined when a word is not a value. */
export function parseValues(text: string): string[] | undefined {
  const values: string[] = [];
  for (const raw of text.split(/[\s,]+/).filter(Boolean)) {
    const m = VALUE.exec(`#${raw.replace(/^#/, '').toLowerCase()}`);
    if (!m) return undefined;
    if (!values.includes(m[1]!)) values.push(m[1]!);
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Who may be thanked, and how many today

/** What Slack says about a person (users.info), and Kept's own bot user. */
export interface KudosPeople {
  giver: string;
  recipients: readonly string[];
  /** Users whose users.info says `is_bot` (apps, workflow bots), and Kept itself. */
  bots: ReadonlySet<string>;
}

/** No kudos to yourself or to a bot. */
export function checkRecipients(p: KudosPeople): Result<true> {
  if (p.recipients.includes(p.giver))
    return { ok: false, error: 'Kudos are for thanking someone else: you cannot give them to yourself.' };
  const bot = p.recipients.find((r) => p.bots.has(r));
  if (bot) return { ok: false, error: `<@${bot}> is a bot; kudos are for people.` };
  return { ok: true, value: true };
}

/** The kudos left today after `given` of `quota`. */
export const kudosLeft = (given: number, quota: number): number => Math.max(0, quota - given);

/** Whether `count` more kudos fit in today's quota. */
export function checkQuota(given: number, count: number, quota: number): Result<true> {
  if (given + count <= quota) return { ok: true, value: true };
  const left = kudosLeft(given, quota);
  if (left === 0)
    return {
      ok: false,
      error: `You have given your ${quota} kudos for today. More tomorrow: the count starts again at midnight where you are.`,
    };
  return {
    ok: false,
    error: `That is ${count} kudos and you have ${left} left today (${quota} a day, each person thanked counts as one). Thank fewer people, or the rest tomorrow.`,
  };
}

// ---------------------------------------------------------------------------------------------
// The record

export interface Kudos {
  /** Unique per kudos; for a reaction, derived from the reaction. */
  id: string;
  giver: string;
  recipients: string[];
  message: string;
  values: string[];
  requestId?: string;
  /** The provider department of the request the kudos is linked to. */
  provider?: string;
  /** Departments each recipient belongs to, by recipient (from the directory when it was given). */
  departments: Record<string, string[]>;
  at: number;
  /** The giver's local date (the quota's day) and its ISO week (the leaderboard's week). */
  day: string;
  week: string;
  source: KudosSource;
  /** The message the kudos is about (reaction, shortcut). */
  about?: MessageRef;
}

/**
 * How many kudos each department gets: one per recipient in it, and a kudos linked to a request
 * counts for the request's provider too (once per recipient, not twice for a recipient already in it).
 */
export function departmentCredits(k: Pick<Kudos, 'recipients' | 'departments' | 'provider'>): Record<string, number> {
  const credits: Record<string, number> = {};
  for (const r of k.recipients) {
    const depts = new Set(k.departments[r] ?? []);
    if (k.provider) depts.add(k.provider);
    for (const d of depts) credits[d] = (credits[d] ?? 0) + 1;
  }
  return credits;
}

/** The reaction's own key: one kudos per person, message and emoji. */
export const reactionKey = (r: { user: string; channel: string; ts: string; emoji: string }): string =>
  `${r.user}:${r.channel}:${r.ts}:${r.emoji}`;

export { baseEmoji } from './emoji';

/** Whether a removal at `at` still takes back a kudos given at `givenAt`. */
export const withinUndo = (givenAt: number, at: number): boolean => at - givenAt <= KUDOS_UNDO_MS;

// ---------------------------------------------------------------------------------------------
// Turned it around: a miss the requester confirmed was put right

/** A recovery the requester confirmed: the providing team's mention in that week's digest. */
export interface TurnedAround {
  requestId: string;
  provider: string;
  customer: string;
  at: number;
  /** The ISO week of the confirmation, in the provider's time zone (the digest reads one week). */
  week: string;
}

/**
 * The mention a write of a request earns: when this write recorded the requester's "yes, put
 * right" on a request that missed a target. Undefined for every other write.
 */
export function turnedAround(before: Request, after: Request, zone: string): TurnedAround | undefined {
  const confirmed = after.recovery?.confirmed;
  if (!confirmed?.recovered || before.recovery?.confirmed || allBreaches(after).length === 0) return undefined;
  return {
    requestId: after.id,
    provider: after.provider,
    customer: after.customer,
    at: confirmed.at,
    week: localDayOf(confirmed.at, zone).week,
  };
}
