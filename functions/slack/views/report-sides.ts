/**
 * Block Kit for `/sla report customer` (what a department receives, per provider and agreement)
 * and `/sla report company` (every agreement, worst compliance first). Pure functions of the
 * reports in domain/report-sides.ts; user text goes through `escapeMrkdwn`. Rows go into sections
 * of at most 3,000 characters, at most 50 blocks in all.
 */
import type { KnownBlock } from '@slack/types';
import type { Loyalty } from '../../domain/loyalty';
import type { CompanyReport, CustomerReport, SideRow } from '../../domain/report-sides';
import { countedSinceNote } from '../../domain/report-sides-format';
import { context, header, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, type SlackMessage, section } from './blocks';
import { amountText, escapeMrkdwn, plural } from './format';

const pct = (p: number | null) => (p === null ? '–' : `${p.toFixed(1)}%`);

const owed = (r: Pick<SideRow, 'penalties'>): string => {
  const units = Object.entries(r.penalties).filter(([, p]) => p.owed !== 0);
  return units.length === 0 ? 'nothing owed' : units.map(([u, p]) => `${amountText(p.owed, u)} owed`).join(', ');
};

/** Lines packed into as few sections as fit (each under Slack's 3,000 characters), `room` at most. */
function packed(lines: readonly string[], room: number): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let text = '';
  for (const line of lines) {
    if (text && text.length + line.length + 1 > MAX_SECTION_TEXT) {
      blocks.push(section(text));
      text = '';
    }
    text = text ? `${text}\n${line}` : line;
  }
  if (text) blocks.push(section(text));
  if (blocks.length <= room) return blocks;
  return [...blocks.slice(0, room - 1), context(`…and more: \`kept report\` lists every row.`)];
}

/**
 * The customer loyalty section (its heads and Kept admins): per metric, the weeks with a value
 * beside the compliance received that week, the correlation and what it can and cannot say.
 */
export function loyaltyBlocks(l: Loyalty, departmentName: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header('Customer loyalty')];
  for (const m of l.metrics.slice(0, 4)) {
    const lines = m.weeks
      .filter((w) => w.value !== null || w.compliancePct !== null)
      .map((w) => `${w.week} · compliance ${pct(w.compliancePct)} · ${escapeMrkdwn(m.metric)} ${w.value ?? '–'}`);
    const r = m.correlation === undefined ? 'no correlation yet' : `r = ${m.correlation.toFixed(2)}`;
    blocks.push(
      section(
        `*${escapeMrkdwn(m.metric)}* beside the compliance of what ${escapeMrkdwn(departmentName)} receives, ${l.fromWeek} to ${l.toWeek} (${r}, ${plural(m.n, 'week')} with both):\n${lines.join('\n')}`.slice(
          0,
          MAX_SECTION_TEXT,
        ),
      ),
      context(escapeMrkdwn(m.note)),
    );
  }
  return blocks;
}

export function customerMessage(
  r: CustomerReport,
  { forHeads, loyalty }: { forHeads: boolean; loyalty?: Loyalty },
): SlackMessage {
  const name = escapeMrkdwn(r.departmentName);
  const label = escapeMrkdwn(r.label);
  if (r.byAgreement.length === 0) {
    const text = `No other department has an agreement to serve ${name} yet, so there is nothing it receives to report.`;
    return { text, blocks: [section(text)] };
  }
  const summary = `${r.departmentName} as a customer, ${r.label}: ${pct(r.compliancePct)} compliance, ${r.requests} filed · ${r.met} met · ${r.breached} breached${forHeads ? `, ${owed(r).replace(/\*/g, '')} to ${r.departmentName}` : ''}.`;
  const rows = r.byAgreement.map((a) => {
    const every = a.customer === '*' ? ' _(every department; its share)_' : '';
    const money = forHeads ? ` · ${owed(a)}` : '';
    return `• *${escapeMrkdwn(a.providerName)}* · ${escapeMrkdwn(a.name)}${every}: ${pct(a.compliancePct)} · ${plural(a.requests, 'request')}, ${a.met} met, ${a.breached} breached${money}`;
  });
  const notes = [countedSinceNote(r.countedSince, true)];
  if (!forHeads) notes.push(`What is owed to ${r.departmentName} is shown only to its heads and Kept admins.`);
  const blocks: KnownBlock[] = [
    header(`What ${r.departmentName} receives, ${r.label}`),
    section(
      r.empty
        ? `${name} filed no request to another department in ${label}.`
        : `*${pct(r.compliancePct)}* of what ${name} asked for in ${label} was on time: ${r.met} met, ${r.breached} breached${forHeads ? `; ${owed(r)} to ${name}` : ''}.`,
    ),
  ];
  const extra = loyalty && forHeads && loyalty.metrics.length > 0 ? loyaltyBlocks(loyalty, r.departmentName) : [];
  blocks.push(
    ...packed(rows, MAX_MESSAGE_BLOCKS - blocks.length - 1 - extra.length),
    context(...notes.map(escapeMrkdwn)),
    ...extra,
  );
  return { text: summary, blocks };
}

export function companyMessage(r: CompanyReport): SlackMessage {
  const label = escapeMrkdwn(r.label);
  if (r.byAgreement.length === 0) {
    const text = 'There are no agreements in Kept yet, so there is no company view to show.';
    return { text, blocks: [section(text)] };
  }
  const summary = `Every agreement, ${r.label}: ${pct(r.compliancePct)} compliance, ${r.requests} filed · ${r.met} met · ${r.breached} breached.`;
  const rows = r.byAgreement.map(
    (a, i) =>
      `${i + 1}. *${pct(a.compliancePct)}* ${escapeMrkdwn(a.providerName)} → ${escapeMrkdwn(a.customerName)}: ${escapeMrkdwn(a.name)} · ${plural(a.requests, 'request')}, ${a.breached} breached · ${owed(a)}`,
  );
  const blocks: KnownBlock[] = [
    header(`Every agreement, worst first, ${r.label}`),
    section(
      `*${pct(r.compliancePct)}* compliance across the company in ${label}: ${r.met} met, ${r.breached} breached.`,
    ),
  ];
  blocks.push(
    ...packed(rows, MAX_MESSAGE_BLOCKS - blocks.length - 1),
    context(escapeMrkdwn(countedSinceNote(r.countedSince, false))),
  );
  return { text: summary, blocks };
}
