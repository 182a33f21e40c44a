/**
 * Block Kit for the weekly digest: the two tips, a scorecard per providing department for last
 * week, up to three kudos worth reading, the misses turned around and the requests at risk now.
 * The digest goes to channels everyone reads, so it carries what `/sla report` shows anyone
 * (compliance, met and missed): no penalty amounts and nothing about a single person's misses
 * (decisions.md). Made to read on a phone: short lines, two-column fields, one section per
 * department. Pure: the job gathers the figures
 * (functions/jobs/digest.ts). All user text goes through `escapeMrkdwn`; at most 50 blocks.
 * No image here: charts are rendered in the worker bundle (functions/charts) and the digest Lambda
 * leaves the chart packages out, so the compliance chart is uploaded by the worker into the
 * digest's thread (functions/slack/digest-chart.ts).
 */
import type { KnownBlock, SectionBlock } from '@slack/types';
import { CORRELATION_CAUTION } from '../../domain/loyalty';
import { compareNames } from '../../domain/name-order';
import type { NamedReview } from '../../domain/report-format';
import type { CauseCategory } from '../../domain/request';
import { reviewLine } from '../../domain/review';
import { context, MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './blocks';
import { cut, escapeMrkdwn, mentionUser, plural } from './format';

export interface DigestTip {
  id: string;
  kind: string;
  title: string;
  body: string;
  tryThisWeek: string;
}

export interface DigestKudos {
  giver: string;
  recipients: string[];
  message: string;
  values: string[];
  at: number;
}

/** A recovery the requester confirmed last week: the providing team's mention (department names). */
export interface DigestTurned {
  provider: string;
  customer: string;
  requestId: string;
}

/** A front-line department's customer figure beside the compliance of what it received (loyalty). */
export interface DigestLoyalty {
  name: string;
  metric: string;
  /** Last week's compliance of the agreements that serve it; null when nothing was met or missed. */
  compliancePct: number | null;
  /** The metric's latest value in the period, and its week. */
  latest?: { value: number; week: string };
  /** The period's correlation in a few words (domain/loyalty.ts `correlationShort`). */
  correlation: string;
}

export interface ScoreRow {
  department: string;
  name: string;
  /** Requests filed last week. */
  requests: number;
  /** met / (met + breached) last week, one decimal; null when neither happened. */
  compliancePct: number | null;
  /** The same for the week before. */
  previousPct: number | null;
  /** Requests filed last week that met their targets, and those that missed at least one. */
  met: number;
  breaches: number;
  kudos: number;
}

export interface DigestInput {
  /** The ISO week the digest is for, `2026-W48`. */
  week: string;
  /** How last week reads, e.g. `23–29 November 2026`. */
  lastWeekLabel: string;
  /** `because`: the internal tip was chosen for last week's most frequent cause of a miss. */
  tips?: { internal: DigestTip; customer: DigestTip; because?: CauseCategory };
  scorecard: ScoreRow[];
  kudos: DigestKudos[];
  /** Last week's confirmed recoveries, oldest first (none: the section is left out). */
  turned?: DigestTurned[];
  /** Joint reviews opened, agreed or followed up last week, each with its agreement's name. */
  reviews?: NamedReview[];
  /** Front-line departments' customer figures beside what they received (none: left out). */
  loyalty?: DigestLoyalty[];
  atRisk: number;
}

/** Slack allows 50 blocks a message; the rest of the digest takes at most 16. */
export const MAX_DIGEST_BLOCKS = MAX_MESSAGE_BLOCKS;
export const MAX_SCORECARD_ROWS = 30;
export const MAX_KUDOS = 3;
/** "Turned it around" lines shown; the rest are counted. */
export const MAX_TURNED = 5;
/** Customer-figure lines shown; the rest are counted. */
export const MAX_LOYALTY = 5;
/** Joint reviews named in the digest; the rest are counted. */
export const MAX_REVIEWS = 5;
const MAX_KUDOS_TEXT = 280;
const MAX_TIP_TEXT = 1_200;

/** User text trimmed, escaped and cut to `max` characters. */
const userText = (text: string, max: number): string => cut(escapeMrkdwn(text.trim()), max);
const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}%`;

/** `▲ 3.1 pts` / `▼ 2 pts` / `= 0 pts`, or '' when either week had nothing to compare. */
export function changeText(now: number | null, before: number | null): string {
  if (now === null || before === null) return '';
  const d = Math.round((now - before) * 10) / 10;
  const n = Math.abs(d);
  const amount = `${Number.isInteger(n) ? n : n.toFixed(1)} pt${n === 1 ? '' : 's'}`;
  return d > 0 ? `▲ ${amount}` : d < 0 ? `▼ ${amount}` : `= ${amount}`;
}

/** The week number of `2026-W48`. */
export const weekNumber = (week: string): number => Number(/W(\d{2})$/.exec(week)?.[1] ?? 0);

/** The kudos worth reading: most values named, then the longest, then the newest. */
export function pickKudos(all: readonly DigestKudos[], max = MAX_KUDOS): DigestKudos[] {
  return [...all]
    .filter((k) => k.message.trim().length > 0)
    .sort((a, b) => b.values.length - a.values.length || b.message.length - a.message.length || b.at - a.at)
    .slice(0, max);
}

/** How the digest names a cause of a miss in a sentence ("…came most often from handoffs"). */
export const CAUSE_PHRASE: Record<CauseCategory, string> = {
  staffing: 'too few hands',
  handoff: 'handoffs',
  tooling: 'tools getting in the way',
  unclear_request: 'unclear requests',
  dependency: 'waiting on someone else',
  other: 'causes outside the usual ones',
};

/** Why this week's internal tip: last week's misses came most often from `cause`. */
export const becauseText = (cause: CauseCategory): string =>
  `Last week's misses came most often from ${CAUSE_PHRASE[cause]}, so this one is about that.`;

function tipBlock(label: string, tip: DigestTip, because?: CauseCategory): SectionBlock {
  const why = because ? `\n_${becauseText(because)}_` : '';
  return section(
    `*${label}: ${userText(tip.title, 150)}*${why}\n${userText(tip.body, MAX_TIP_TEXT)}\n*Try this week:* ${userText(tip.tryThisWeek, 600)}`,
  );
}

function scoreBlock(row: ScoreRow): SectionBlock {
  const change = changeText(row.compliancePct, row.previousPct);
  const compliance = row.compliancePct === null ? '—' : `${pct(row.compliancePct)}${change ? ` ${change}` : ''}`;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `*${userText(row.name, 150)}* · ${plural(row.requests, 'request')}` },
    fields: [
      { type: 'mrkdwn', text: `*Compliance*\n${compliance}` },
      { type: 'mrkdwn', text: `*Kudos received*\n${row.kudos}` },
      { type: 'mrkdwn', text: `*Met*\n${row.met}` },
      { type: 'mrkdwn', text: `*Breaches*\n${row.breaches}` },
    ],
  };
}

function kudosBlock(k: DigestKudos): SectionBlock {
  const shown = k.recipients.slice(0, 5).map(mentionUser).join(', ');
  const more = k.recipients.length > 5 ? ` +${k.recipients.length - 5}` : '';
  const values =
    k.values.length > 0
      ? `\n_${k.values
          .slice(0, 5)
          .map((v) => userText(v, 40))
          .join(' · ')}_`
      : '';
  return section(`${mentionUser(k.giver)} → ${shown}${more}\n“${userText(k.message, MAX_KUDOS_TEXT)}”${values}`);
}

/**
 * "Operations turned it around for Sales on OPS-12 — thank you." per confirmed recovery (at most
 * MAX_TURNED, then how many more), in one section: a miss put right is worth a public thank-you,
 * and it names teams and a request ID only (no title, no person, no penalty).
 */
export function turnedBlock(turned: readonly DigestTurned[]): SectionBlock {
  const lines = turned
    .slice(0, MAX_TURNED)
    .map(
      (t) =>
        `:sparkles: ${userText(t.provider, 80)} turned it around for ${userText(t.customer, 80)} on ${userText(t.requestId, 40)} — thank you.`,
    );
  const more = turned.length - MAX_TURNED;
  if (more > 0) lines.push(`…and ${plural(more, 'more request')} put right. Thank you all.`);
  return section(`*Turned it around* (misses put right, as the requesters told Kept)\n${lines.join('\n')}`);
}

/**
 * "*IT · Laptops*: the cause "Handoff" came up 3 times within 30 days; fix agreed, and it held …":
 * the week's joint reviews (at most MAX_REVIEWS, follow-ups first), for everyone: the count of
 * misses that started one, never its penalty, and never the fix's text (the heads have it).
 */
export function reviewsBlock(reviews: readonly NamedReview[]): SectionBlock {
  const rank = (r: NamedReview) => (r.review.followUp ? 0 : r.review.agreed ? 1 : 2);
  const sorted = [...reviews].sort((a, b) => rank(a) - rank(b) || compareNames(a.agreement, b.agreement));
  const lines = sorted.slice(0, MAX_REVIEWS).map(({ agreement, review }) => {
    const thanks = review.followUp?.outcome === 'held' ? ' Thank you, both sides.' : '';
    return `• *${userText(agreement, 80)}*: ${userText(reviewLine(review, { penalties: false }), 300)}.${thanks}`;
  });
  const more = sorted.length - MAX_REVIEWS;
  if (more > 0) lines.push(`…and ${plural(more, 'more joint review')}: \`/sla report\` lists each department's.`);
  return section(`*Fixing causes together* (joint reviews last week)\n${lines.join('\n')}`);
}

/**
 * "*Sales* · received 92% last week · nps 41 (week 48) · r = 0.62 over 12 weeks: …", one line per
 * front-line department and metric (at most MAX_LOYALTY, by name), then the caution said once.
 */
export function loyaltyBlocks(rows: readonly DigestLoyalty[]): KnownBlock[] {
  const sorted = [...rows].sort((a, b) => compareNames(a.name, b.name) || compareNames(a.metric, b.metric));
  const lines = sorted.slice(0, MAX_LOYALTY).map((l) => {
    const received =
      l.compliancePct === null ? 'nothing met or missed last week' : `received ${pct(l.compliancePct)} last week`;
    const latest = l.latest
      ? `${userText(l.metric, 40)} ${l.latest.value} (week ${weekNumber(l.latest.week)})`
      : `no ${userText(l.metric, 40)} figure yet`;
    return `*${userText(l.name, 80)}* · ${received} · ${latest} · ${userText(l.correlation, 160)}`;
  });
  const more = sorted.length - MAX_LOYALTY;
  if (more > 0)
    lines.push(`…and ${plural(more, 'more figure')}: each department's heads see theirs in \`/sla report customer\`.`);
  return [
    section(`*What colleagues received, beside their customers' figures*\n${lines.join('\n')}`),
    context(escapeMrkdwn(CORRELATION_CAUTION)),
  ];
}

/** Departments with the most requests stay when there are too many for one message; shown by name. */
function rowsShown(rows: readonly ScoreRow[]): { shown: ScoreRow[]; left: number } {
  const kept =
    rows.length <= MAX_SCORECARD_ROWS
      ? [...rows]
      : [...rows].sort((a, b) => b.requests - a.requests || compareNames(a.name, b.name)).slice(0, MAX_SCORECARD_ROWS);
  return { shown: kept.sort((a, b) => compareNames(a.name, b.name)), left: rows.length - kept.length };
}

export function digestMessage(input: DigestInput): SlackMessage {
  const n = weekNumber(input.week);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `Kept weekly — week ${n}`.slice(0, MAX_HEADER_TEXT), emoji: true },
    },
    context(`Last week: ${escapeMrkdwn(input.lastWeekLabel)}`),
  ];
  if (input.tips) {
    blocks.push(
      { type: 'divider' },
      tipBlock('Tip', input.tips.internal, input.tips.because),
      tipBlock('For your customers', input.tips.customer),
    );
  }

  blocks.push({ type: 'divider' }, section('*Scorecard, last week*'));
  const { shown, left } = rowsShown(input.scorecard);
  if (shown.length === 0) blocks.push(context('No department provides a service yet.'));
  for (const row of shown) blocks.push(scoreBlock(row));
  if (left > 0) blocks.push(context(`…and ${plural(left, 'more department')}: \`/sla report\` shows each.`));

  blocks.push({ type: 'divider' }, section('*Kudos*'));
  const kudos = pickKudos(input.kudos);
  if (kudos.length === 0) blocks.push(context('No kudos last week. Thank someone with `/kudos`.'));
  for (const k of kudos) blocks.push(kudosBlock(k));
  if (input.turned && input.turned.length > 0) blocks.push(turnedBlock(input.turned));
  if (input.reviews && input.reviews.length > 0) blocks.push(reviewsBlock(input.reviews));

  if (input.loyalty && input.loyalty.length > 0) blocks.push({ type: 'divider' }, ...loyaltyBlocks(input.loyalty));

  blocks.push(
    { type: 'divider' },
    section(
      input.atRisk === 0
        ? 'No open request is at risk right now.'
        : `:warning: *${plural(input.atRisk, 'open request')} at risk now*`,
    ),
  );

  const overall = summary(input.scorecard);
  const text = `Kept weekly — week ${n}: ${overall}${plural(input.atRisk, 'open request')} at risk now.`;
  return { text, blocks: blocks.slice(0, MAX_DIGEST_BLOCKS) };
}

/** `92.5% compliance last week, ` across every department, or '' when nothing was met or breached. */
function summary(rows: readonly ScoreRow[]): string {
  const total = rows.reduce((s, r) => s + r.requests, 0);
  const scored = rows.filter((r) => r.compliancePct !== null);
  if (total === 0 || scored.length === 0) return '';
  const avg = Math.round((scored.reduce((s, r) => s + (r.compliancePct ?? 0), 0) / scored.length) * 10) / 10;
  return `${pct(avg)} average compliance last week, `;
}
