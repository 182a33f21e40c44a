/**
 * Block Kit for `/sla report`: a department's compliance over a period, its breaches (by target,
 * agreement and priority, week, weekday and hour, service and assignee), satisfaction with the
 * "what would have made this better?" answers, the causes given, median and p90 times per priority, and the penalties (owed and
 * waived, per unit) and the breaches per assignee for those allowed to see them. Pure function of a `Report`; every piece of
 * user text goes through `escapeMrkdwn`. At most 50 blocks (about 15 in practice).
 */
import type { KnownBlock } from '@slack/types';
import { type Report, SCORES } from '../../domain/report';
import { heatCellLabel, timesSinceNote, timesTable, topHeatCells, waitingText } from '../../domain/report-format';
import { CAUSE_LABEL } from '../../domain/request';
import { context, header, MAX_MESSAGE_BLOCKS, type SlackMessage, section } from './blocks';
import { amountText, clip, escapeMrkdwn, mentionUser, plural } from './format';

export interface ReportViewOptions {
  /**
   * Heads of the department and Kept admins see what is owed and each assignee's breaches; everyone
   * else sees a line saying so (decisions.md: penalties and per-person misses are for heads).
   */
  forHeads: boolean;
}

/** How many weeks of the trend, answers, cells, services and assignees the message shows. */
const TREND_WEEKS = 13;
const BETTER_SHOWN = 5;
const TOP = 5;
const BAR = 10;

const pct = (p: number | null) => (p === null ? '–' : `${p.toFixed(1)}%`);
/** Text inside a code block: one line, no backticks to end the block early, escaped. */
const code = (text: string) => escapeMrkdwn(text.replace(/[\r\n\t]+/g, ' ').replace(/`/g, "'"));
const causeLabel = (k: string) => (CAUSE_LABEL as Record<string, string | undefined>)[k] ?? escapeMrkdwn(k);

/** `▇▇▇▇▇▇▇▇░░` for 80 %; dots while nothing was met or breached. */
function bar(p: number | null): string {
  if (p === null) return '·'.repeat(BAR);
  const full = Math.round(p / (100 / BAR));
  return '▇'.repeat(full) + '░'.repeat(BAR - full);
}

function headline(r: Report): string {
  const name = escapeMrkdwn(r.departmentName);
  if (r.compliancePct === null) return `*${name}* has no request resolved or missed yet in ${escapeMrkdwn(r.label)}.`;
  return `*${pct(r.compliancePct)}* compliance for ${name} in ${escapeMrkdwn(r.label)}: ${plural(r.met, 'request')} met ${r.met === 1 ? 'its targets' : 'their targets'}, ${r.breached} missed at least one.`;
}

function penaltyLines(r: Report): string {
  const units = Object.entries(r.penalties);
  if (units.length === 0) return '*Penalties*: none in this period.';
  const lines = units.map(
    ([unit, p]) =>
      `• *${amountText(p.owed, unit)} owed* (${amountText(p.charged, unit)} charged, ${amountText(p.waived, unit)} waived${p.credited ? `, ${amountText(p.credited, unit)} given back as recovery credits` : ''})`,
  );
  return `*Penalties*\n${lines.join('\n')}`;
}

function agreementTable(r: Report): string | undefined {
  if (r.byAgreement.length === 0) return undefined;
  const rows = r.byAgreement
    .slice(0, 20)
    .map((a) => [
      clip(a.name, 28),
      a.priority,
      String(a.requests),
      String(a.met),
      String(a.breached),
      pct(a.compliancePct),
    ]);
  const head = ['Service', 'Prio', 'Filed', 'Met', 'Missed', 'Compliance'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const more = r.byAgreement.length > 20 ? `\n…and ${r.byAgreement.length - 20} more` : '';
  return `*By agreement and priority*\n\`\`\`${[line(head), ...rows.map(line)].map(code).join('\n')}\`\`\`${more}`;
}

/** Median and p90 time to first response and to resolution per priority, as bucket bounds (at most 5 lines). */
function timesText(r: Report): string | undefined {
  const rows = timesTable(r);
  if (rows.length === 0) return undefined;
  return `*Time to first response and to resolution*\n\`\`\`${rows.map(code).join('\n')}\`\`\`\n_${escapeMrkdwn(timesSinceNote(r.timesCountedSince))}_`;
}

function trendText(r: Report): string | undefined {
  const weeks = r.trend.slice(-TREND_WEEKS);
  if (weeks.length === 0) return undefined;
  const rows = weeks.map(
    (w) =>
      `${w.week}  ${bar(w.compliancePct)}  ${pct(w.compliancePct).padStart(6)}  ${String(w.requests).padStart(4)} filed  ${String(w.breached).padStart(3)} missed`,
  );
  const earlier = r.trend.length > weeks.length ? ` (last ${weeks.length} of ${r.trend.length} weeks)` : '';
  return `*Week by week*${earlier}\n\`\`\`${rows.map(code).join('\n')}\`\`\``;
}

function csatText(r: Report): string {
  const { count, average, distribution } = r.csat;
  if (count === 0 || average === null) return '*Satisfaction*: nobody rated a request yet.';
  const spread = [...SCORES]
    .reverse()
    .map((s) => `${s}★ ${distribution[s]}`)
    .join(' · ');
  return `*Satisfaction*: *${average.toFixed(1)} / 5* from ${plural(count, 'rating')} (${spread})`;
}

function betterText(r: Report): string | undefined {
  const shown = r.better.slice(0, BETTER_SHOWN);
  if (shown.length === 0) return undefined;
  const lines = shown.map(
    (b) =>
      `> ${escapeMrkdwn(clip(b.text.replace(/\s+/g, ' ').trim(), 280))}\n_${escapeMrkdwn(b.id)}, filed ${escapeMrkdwn(b.day)}_`,
  );
  return `*What would have made it better*\n${lines.join('\n')}`;
}

function causesText(r: Report): string | undefined {
  const given = Object.entries(r.causes)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  if (given.length === 0) return undefined;
  return `*Causes given for missed targets*: ${given.map(([k, n]) => `${causeLabel(k)} ${n}`).join(' · ')}`;
}

function whenText(r: Report): string | undefined {
  const cells = topHeatCells(r.heatmap, 3);
  if (cells.length === 0) return undefined;
  return `*When breached requests were filed*: ${cells.map((c) => `${heatCellLabel(c)}: ${c.breached}`).join(' · ')}`;
}

function whereText(r: Report, forHeads: boolean): string | undefined {
  const lines: string[] = [];
  if (r.byService.length > 0)
    lines.push(
      `*Services with the most breaches*: ${r.byService
        .slice(0, TOP)
        .map((s) => `${escapeMrkdwn(clip(s.service, 60))} ${s.breached}`)
        .join(' · ')}`,
    );
  if (forHeads && r.byAssignee.length > 0)
    lines.push(
      `*Assignees of breached requests*: ${r.byAssignee
        .slice(0, TOP)
        .map((a) => `${a.assignee ? mentionUser(a.assignee) : 'unassigned'} ${a.breached}`)
        .join(' · ')}`,
    );
  return lines.length ? lines.join('\n') : undefined;
}

/** One line for a head's App Home: the period's compliance, misses, open requests and what is owed. */
export function reportGlance(r: Report): string {
  const name = `*${escapeMrkdwn(r.departmentName)}* · ${escapeMrkdwn(r.label)}`;
  if (r.empty) return `${name}: nothing filed yet.`;
  const kept =
    r.compliancePct === null
      ? 'nothing resolved or missed yet'
      : `*${pct(r.compliancePct)}* kept (${r.met} met, ${r.breached} missed)`;
  const owed = Object.entries(r.penalties)
    .filter(([, p]) => p.owed > 0)
    .map(([unit, p]) => `${amountText(p.owed, unit)} owed`);
  return [`${name}: ${kept}`, `${r.open} open`, ...owed].join(' · ');
}

/** The empty state: nothing was filed in the period. */
export function emptyReportText(r: Pick<Report, 'departmentName' | 'label'>): string {
  return `Nobody filed a request to ${escapeMrkdwn(r.departmentName)} in ${escapeMrkdwn(r.label)}, so there is nothing to report yet.`;
}

export function reportMessage(r: Report, options: ReportViewOptions): SlackMessage {
  const title = `${clip(r.departmentName, 100)} — ${clip(r.label, 40)}`;
  const top = header(title);
  if (r.empty) {
    const text = emptyReportText(r);
    return {
      text,
      blocks: [top, section(text), context(`${r.from} to ${r.to}, by filing date in the department's time zone`)],
    };
  }
  const counts = `${plural(r.requests, 'request')} filed · ${r.met} met · ${r.breached} breached · ${r.open} open · ${r.cancelled} cancelled`;
  // Each breach once (a reopened request late again counts twice); requests ever breached beside those breached in their current cycle.
  const targets = `Missed targets: ${plural(r.breachesByTarget.response, 'response')} · ${plural(r.breachesByTarget.resolution, 'resolution')} — ${plural(r.breaches, 'breach', 'breaches')} in all; ${r.breached} ${r.breached === 1 ? 'request' : 'requests'} ever breached, ${r.breachedThisCycle} breached this cycle`;
  const blocks: KnownBlock[] = [top, section(`${headline(r)}\n${counts}\n${targets}`)];
  if (options.forHeads) blocks.push(section(penaltyLines(r)));
  else
    blocks.push(
      context(
        `Penalties and breaches per person are shown only to heads of ${escapeMrkdwn(r.departmentName)} and Kept admins.`,
      ),
    );
  blocks.push({ type: 'divider' });
  for (const text of [
    agreementTable(r),
    timesText(r),
    trendText(r),
    csatText(r),
    r.waiting.paused > 0 ? `*Waiting on requesters*: ${escapeMrkdwn(waitingText(r))}` : undefined,
    betterText(r),
    causesText(r),
    whenText(r),
    whereText(r, options.forHeads),
  ])
    if (text) blocks.push(section(text));
  blocks.push(
    context(
      `${r.from} to ${r.to}: the requests filed in these days (the department's local dates), as they stand now.`,
    ),
  );
  const penaltyText = options.forHeads && r.penaltyUnit ? `, ${amountText(r.penaltyTotal, r.penaltyUnit)} owed` : '';
  const text = `${escapeMrkdwn(r.departmentName)}, ${escapeMrkdwn(r.label)}: ${pct(r.compliancePct)} compliance, ${counts}${penaltyText}.`;
  return { text, blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}
