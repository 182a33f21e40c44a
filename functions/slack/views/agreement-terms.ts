/**
 * Shared Block Kit pieces for agreements: titles, the targets table, the terms section and
 * the calendar note. Every piece of user text (department and service names, reasons) goes
 * through `escapeMrkdwn` here, so no view can ping `@channel` or forge a link.
 */

import type { KnownBlock } from '@slack/types';
import { type AgreementTerms, EVERY_DEPARTMENT, PRIORITIES, type Targets } from '../../domain/agreement';
import {
  customerLabel,
  describeAtRisk,
  describePenalty,
  describeStep,
  describeWaiting,
} from '../../domain/agreement-text';
import { type Directory, findDepartment } from '../../domain/directory';
import { formatDuration } from '../../domain/duration';
import { context, section } from './blocks';
import { escapeMrkdwn, possessive } from './format';

/** Department id -> name, falling back to the id for departments we do not know. */
export const nameOf =
  (dir: Directory) =>
  (id: string): string =>
    findDepartment(dir, id)?.name ?? id;

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

/** Table, penalty and at-risk lines (and the escalation ladder, when there is one): the body every agreement view shows. */
export function termsText(terms: AgreementTerms): string {
  const ladder = terms.escalation ?? [];
  return [
    targetsTable(terms.targets),
    `*Penalty:* ${escapeMrkdwn(describePenalty(terms.penalty))}`,
    ladder.length > 0
      ? `*Escalation:* ${ladder.map((step, i) => `${i + 1}. ${escapeMrkdwn(describeStep(step))}`).join('; ')}`
      : `*At risk:* ${escapeMrkdwn(describeAtRisk(terms.atRisk))}`,
    ...(terms.waiting ? [`*Waiting on the requester:* ${escapeMrkdwn(describeWaiting(terms.waiting))}`] : []),
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
