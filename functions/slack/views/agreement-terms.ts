/**
 * Shared Block Kit pieces for agreements: titles, the targets table, the terms section and
 * the calendar note. Every piece of user text (department and service names, reasons) goes
 * through `escapeMrkdwn` here, so no view can ping `@channel` or forge a link.
 */

import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { type AgreementTerms, EVERY_DEPARTMENT, PRIORITIES, type Targets } from '../../domain/agreement';
import { customerLabel, describeAtRisk, describePenalty } from '../../domain/agreement-text';
import { isChannelId, isUsergroupId, isUserId } from '../../domain/department';
import { type Directory, findDepartment } from '../../domain/directory';
import { formatDuration } from '../../domain/duration';
import { escapeMrkdwn } from './help';

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_MODAL_BLOCKS = 100;
export const MAX_SECTION_TEXT = 3000;
export const MAX_OPTION_TEXT = 75;
export const MAX_METADATA = 3000;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Department id -> name, falling back to the id for departments we do not know. */
export const nameOf =
  (dir: Directory) =>
  (id: string): string =>
    findDepartment(dir, id)?.name ?? id;

/** Cuts `text` to `max` characters, ending with `…` when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Section text within Slack's limit; a cut never leaves half an `&amp;` entity behind. */
export function sectionText(text: string): string {
  if (text.length <= MAX_SECTION_TEXT) return text;
  const cut = text.slice(0, MAX_SECTION_TEXT - 1).replace(/&[a-z]{0,3}$/, '');
  return `${cut}…`;
}

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: sectionText(text) },
});
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, 10).map((text) => ({ type: 'mrkdwn' as const, text: sectionText(text) })),
});

/** `<@U123>` for a Slack user ID; anything else is shown as escaped text. */
export const mentionUser = (id: string): string => (isUserId(id) ? `<@${id}>` : escapeMrkdwn(id));
export const mentionChannel = (id: string): string => (isChannelId(id) ? `<#${id}>` : escapeMrkdwn(id));
export const mentionUsergroup = (id: string): string => (isUsergroupId(id) ? `<!subteam^${id}>` : escapeMrkdwn(id));

/** Mentions of `users`, at most `max` of them, then `and N more`. */
export function mentionList(users: readonly string[], max = 20): string {
  const shown = users.slice(0, max).map(mentionUser).join(', ');
  return users.length > max ? `${shown} and ${users.length - max} more` : shown;
}

/** `IT's`, `Sales'`: plain text, not escaped. */
export const possessive = (name: string): string => (/s$/i.test(name) ? `${name}'` : `${name}'s`);

/** The date part of an ISO timestamp: `2026-11-03`. */
export const dateOf = (iso: string | undefined): string => (iso ? iso.slice(0, 10) : 'an unknown date');

/** `IT → Finance · Laptops and accounts`, escaped, without bold. */
export function agreementTitle(
  terms: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>,
  dir: Directory,
): string {
  const names = nameOf(dir);
  return `${escapeMrkdwn(names(terms.provider))} → ${escapeMrkdwn(customerLabel(terms.customer, names))} · ${escapeMrkdwn(terms.service)}`;
}

/** The targets as a mrkdwn code block with aligned columns; only the priorities present. */
export function targetsTable(targets: Targets): string {
  const rows: string[][] = [['Priority', 'Answer within', 'Solve within']];
  for (const p of PRIORITIES) {
    const t = targets[p];
    if (t) rows.push([p, formatDuration(t.response), formatDuration(t.resolution)]);
  }
  if (rows.length === 1) return '_No targets._';
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) =>
    r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]! + 2))).join(''),
  );
  return `\`\`\`\n${lines.join('\n')}\n\`\`\``;
}

/** Table, penalty and at-risk lines: the body every agreement view shows. */
export function termsText(terms: AgreementTerms): string {
  return [
    targetsTable(terms.targets),
    `*Penalty:* ${escapeMrkdwn(describePenalty(terms.penalty))}`,
    `*At risk:* ${escapeMrkdwn(describeAtRisk(terms.atRisk))}`,
  ].join('\n');
}

/** `Working time on IT's calendar (America/New_York)`. */
export function calendarNote(terms: Pick<AgreementTerms, 'provider'>, dir: Directory): string {
  const provider = findDepartment(dir, terms.provider);
  if (!provider) return "Working time on the provider's calendar";
  return `Working time on ${escapeMrkdwn(possessive(provider.name))} calendar (${escapeMrkdwn(provider.calendar.timezone)})`;
}

/** The terms as two blocks: the section (optionally under `heading`) and the calendar context. */
export function termsBlocks(terms: AgreementTerms, dir: Directory, heading?: string): KnownBlock[] {
  const body = termsText(terms);
  return [section(heading ? `${heading}\n${body}` : body), context(calendarNote(terms, dir))];
}

/** `Finance's heads`, or the Kept admins, who answer for every department (`*`); plain text. */
export function headsLabel(side: string, dir: Directory): string {
  return side === EVERY_DEPARTMENT
    ? 'the Kept admins (they answer for every department)'
    : `${possessive(nameOf(dir)(side))} heads`;
}

/** Keeps a message within `max` blocks: `blocks` grouped per item, then `and N more — …`. */
export function capGroups(
  head: KnownBlock[],
  groups: KnownBlock[][],
  more: (n: number) => string,
  max = 45,
): KnownBlock[] {
  const out = [...head];
  let used = 0;
  for (const group of groups) {
    const room = max - out.length - (used + 1 < groups.length ? 1 : 0);
    if (group.length > room) break;
    out.push(...group);
    used++;
  }
  if (used < groups.length) out.push(context(more(groups.length - used)));
  return out;
}
