/**
 * Reports: the report built from the per-day counters of a period's dates (`buildReport`, see
 * stats.ts for the counters; report-period.ts says which dates a period word means), and the
 * report as CSV (`reportCsv`) and as plain text for a terminal (`reportTable`). Slack's Block Kit
 * version is in slack/views/report.ts. Pure domain code: the caller reads the counters.
 *
 * Every figure is a count of requests filed in the period (by their local filing date in the
 * provider's time zone), as they stand now: a request filed on 30 October and breached on
 * 2 November counts in October's report.
 */
import { DateTime } from 'luxon';
import { periodLabel } from './report-period';
import { CAUSE_CATEGORIES } from './request';
import { type Counters, NOBODY, sumCounters } from './stats';
import { isoWeekOf } from './weeks';

// ---------------------------------------------------------------------------------------------
// The report

export interface BetterAnswer {
  id: string;
  day: string;
  text: string;
}

export interface PenaltyFigures {
  charged: number;
  waived: number;
  /** charged minus waived */
  owed: number;
}

export interface AgreementRow {
  agreement: string;
  /** The agreement's service, or its id when the directory no longer knows it. */
  name: string;
  priority: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
}

export interface TrendRow {
  /** ISO week, `2026-W48`. */
  week: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
}

export type Score = '1' | '2' | '3' | '4' | '5';
export const SCORES: readonly Score[] = ['1', '2', '3', '4', '5'];

export interface Report {
  /** The department's id. */
  department: string;
  departmentName: string;
  from: string;
  to: string;
  label: string;
  /** Requests filed in the period. */
  requests: number;
  /** Resolved or closed without a missed target. */
  met: number;
  /** With at least one missed target. */
  breached: number;
  /** Still being worked. */
  open: number;
  cancelled: number;
  /** met / (met + breached) in percent, one decimal; null while neither happened. */
  compliancePct: number | null;
  /** Missed targets by kind (a request may miss both). */
  breachesByTarget: { response: number; resolution: number };
  /** What is owed (charged minus waived) in `penaltyUnit`. */
  penaltyTotal: number;
  /** The penalty unit; with several, the one charged most (`penalties` has them all); null when nothing was charged. */
  penaltyUnit: string | null;
  penalties: Record<string, PenaltyFigures>;
  byAgreement: AgreementRow[];
  /** Every ISO week the period touches, oldest first. */
  trend: TrendRow[];
  csat: { count: number; average: number | null; distribution: Record<Score, number> };
  /** "What would have made this better?" answers, newest filing day first. */
  better: BetterAnswer[];
  /** Causes given for missed targets, by category (every category, zero included). */
  causes: Record<string, number>;
  /** Breached requests by weekday (0 = Monday … 6 = Sunday) and hour of filing (0-23), local time. */
  heatmap: number[][];
  /** Breached requests by service, most first. */
  byService: { service: string; breached: number }[];
  /** Breached requests by assignee (null: nobody was assigned), most first. */
  byAssignee: { assignee: string | null; breached: number }[];
  /** No request was filed in the period. */
  empty: boolean;
}

export interface ReportInput {
  department: { id: string; name: string };
  from: string;
  to: string;
  /** How the period reads after "in"; worked out from the dates when left out. */
  label?: string;
  days: readonly { day: string; counters: Counters }[];
  better: readonly BetterAnswer[];
  /** Agreement id -> its service, for the per-agreement table. */
  agreementNames: Readonly<Record<string, string>>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** met / (met + breached) in percent with one decimal; null when both are 0. */
export function compliance(met: number, breached: number): number | null {
  const all = met + breached;
  return all === 0 ? null : Math.round((met / all) * 1000) / 10;
}

/** `{ key -> n }` for every counter `<prefix>|key` with a value other than 0. */
function byPrefix(c: Counters, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  const p = `${prefix}|`;
  for (const [k, v] of Object.entries(c)) if (k.startsWith(p) && v !== 0) out.set(k.slice(p.length), v);
  return out;
}

/** Most first, then by name. */
const byCount =
  <T extends { breached: number }>(name: (t: T) => string) =>
  (a: T, b: T) =>
    b.breached - a.breached || name(a).localeCompare(name(b));

/** The report of the days `from`..`to` from their counters (days outside the period are left out). */
export function buildReport(input: ReportInput): Report {
  const days = input.days.filter((d) => d.day >= input.from && d.day <= input.to);
  const c = sumCounters(days.map((d) => d.counters));
  const n = (key: string) => c[key] ?? 0;
  const met = n('met');
  const breached = n('breached');

  const units = new Set([...byPrefix(c, 'penalty').keys(), ...byPrefix(c, 'waived').keys()]);
  const penalties: Record<string, PenaltyFigures> = {};
  for (const unit of [...units].sort((a, b) => n(`penalty|${b}`) - n(`penalty|${a}`) || a.localeCompare(b))) {
    const charged = round2(n(`penalty|${unit}`));
    const waived = round2(n(`waived|${unit}`));
    penalties[unit] = { charged, waived, owed: round2(charged - waived) };
  }
  const penaltyUnit = Object.keys(penalties)[0] ?? null;

  const slices = new Set([
    ...byPrefix(c, 'filed').keys(),
    ...byPrefix(c, 'met').keys(),
    ...byPrefix(c, 'breached').keys(),
  ]);
  const byAgreement: AgreementRow[] = [...slices]
    .map((slice) => {
      const bar = slice.lastIndexOf('|');
      const agreement = bar < 0 ? slice : slice.slice(0, bar);
      const priority = bar < 0 ? '' : slice.slice(bar + 1);
      const rowMet = n(`met|${slice}`);
      const rowBreached = n(`breached|${slice}`);
      return {
        agreement,
        name: input.agreementNames[agreement] ?? agreement,
        priority,
        requests: n(`filed|${slice}`),
        met: rowMet,
        breached: rowBreached,
        compliancePct: compliance(rowMet, rowBreached),
      };
    })
    .sort(
      (a, b) =>
        a.name.localeCompare(b.name) || a.agreement.localeCompare(b.agreement) || a.priority.localeCompare(b.priority),
    );

  const trend = weeklyTrend(input.from, input.to, days);

  const distribution = Object.fromEntries(SCORES.map((s) => [s, n(`csat|${s}`)])) as Record<Score, number>;
  const count = n('csat|n');

  const causes: Record<string, number> = Object.fromEntries(CAUSE_CATEGORIES.map((k) => [k, 0]));
  for (const [k, v] of byPrefix(c, 'cause')) causes[k] = v;

  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const [k, v] of byPrefix(c, 'heat')) {
    const [w, h] = k.split('|').map(Number);
    const row = heatmap[(w ?? 0) - 1];
    if (row && h !== undefined && h >= 0 && h < 24) row[h] = (row[h] ?? 0) + v;
  }

  const requests = n('filed');
  return {
    department: input.department.id,
    departmentName: input.department.name,
    from: input.from,
    to: input.to,
    label: input.label ?? periodLabel(input.from, input.to),
    requests,
    met,
    breached,
    open: n('live'),
    cancelled: n('cancelled'),
    compliancePct: compliance(met, breached),
    breachesByTarget: { response: n('breach|response'), resolution: n('breach|resolution') },
    penaltyTotal: penaltyUnit ? penalties[penaltyUnit]!.owed : 0,
    penaltyUnit,
    penalties,
    byAgreement,
    trend,
    csat: { count, average: count > 0 ? round2(n('csat|sum') / count) : null, distribution },
    better: [...input.better].filter((b) => b.day >= input.from && b.day <= input.to),
    causes,
    heatmap,
    byService: [...byPrefix(c, 'svc')]
      .map(([service, v]) => ({ service, breached: v }))
      .sort(byCount((r) => r.service)),
    byAssignee: [...byPrefix(c, 'who')]
      .map(([who, v]) => ({ assignee: who === NOBODY ? null : who, breached: v }))
      .sort(byCount((r) => r.assignee ?? '')),
    empty: requests === 0,
  };
}

/** One row per ISO week from `from` to `to` (at most the last 520 weeks), weeks without requests included. */
function weeklyTrend(from: string, to: string, days: readonly { day: string; counters: Counters }[]): TrendRow[] {
  const weeks = new Map<string, { requests: number; met: number; breached: number }>();
  let d = DateTime.fromISO(from, { zone: 'UTC' });
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  if (d.isValid && end.isValid) {
    d = DateTime.max(d, end.minus({ weeks: 520 }));
    for (; d <= end; d = d.plus({ weeks: 1 }).startOf('week'))
      weeks.set(isoWeekOf(d), { requests: 0, met: 0, breached: 0 });
  }
  for (const { day, counters } of days) {
    const local = DateTime.fromISO(day, { zone: 'UTC' });
    if (!local.isValid) continue;
    const row = weeks.get(isoWeekOf(local));
    if (!row) continue;
    row.requests += counters.filed ?? 0;
    row.met += counters.met ?? 0;
    row.breached += counters.breached ?? 0;
  }
  return [...weeks].map(([week, r]) => ({ week, ...r, compliancePct: compliance(r.met, r.breached) }));
}

// ---------------------------------------------------------------------------------------------
// Reading the heatmap

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export interface HeatCell {
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
  hour: number;
  breached: number;
}

/** The busiest weekday/hour cells of the heatmap, most first (ties: earlier in the week first). */
export function topHeatCells(heatmap: readonly (readonly number[])[], max = 3): HeatCell[] {
  const cells: HeatCell[] = [];
  heatmap.forEach((row, w) => {
    row.forEach((v, h) => {
      if (v > 0) cells.push({ weekday: w + 1, hour: h, breached: v });
    });
  });
  return cells.sort((a, b) => b.breached - a.breached || a.weekday - b.weekday || a.hour - b.hour).slice(0, max);
}

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
/** `Wed 14:00–15:00` */
export const heatCellLabel = (cell: Pick<HeatCell, 'weekday' | 'hour'>): string =>
  `${WEEKDAY_SHORT[cell.weekday - 1] ?? '?'} ${hh(cell.hour)}–${hh(cell.hour + 1)}`;

// ---------------------------------------------------------------------------------------------
// CSV

type Cell = string | number | null;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * Text a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`.
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvRow = (cells: readonly Cell[]) => cells.map(csvField).join(',');

/**
 * The report as CSV: every table of the report, one section each (its name on a line, a header,
 * the rows, an empty line), CRLF line ends. Without `showPenalties` the penalty columns and
 * section are left out, not zeroed.
 */
export function reportCsv(r: Report, { showPenalties = true }: { showPenalties?: boolean } = {}): string {
  const sections: [string, Cell[], Cell[][]][] = [
    [
      'Summary',
      [
        'department',
        'name',
        'from',
        'to',
        'requests',
        'met',
        'breached',
        'open',
        'cancelled',
        'compliance_pct',
        'response_breaches',
        'resolution_breaches',
        ...(showPenalties ? ['penalty_total', 'penalty_unit'] : []),
      ],
      [
        [
          r.department,
          r.departmentName,
          r.from,
          r.to,
          r.requests,
          r.met,
          r.breached,
          r.open,
          r.cancelled,
          r.compliancePct,
          r.breachesByTarget.response,
          r.breachesByTarget.resolution,
          ...(showPenalties ? [r.penaltyTotal, r.penaltyUnit] : []),
        ],
      ],
    ],
    ...(showPenalties
      ? [
          [
            'Penalties',
            ['unit', 'charged', 'waived', 'owed'],
            Object.entries(r.penalties).map(([u, p]): Cell[] => [u, p.charged, p.waived, p.owed]),
          ] as [string, Cell[], Cell[][]],
        ]
      : []),
    [
      'By agreement',
      ['agreement', 'service', 'priority', 'requests', 'met', 'breached', 'compliance_pct'],
      r.byAgreement.map((a) => [a.agreement, a.name, a.priority, a.requests, a.met, a.breached, a.compliancePct]),
    ],
    [
      'Weekly trend',
      ['week', 'requests', 'met', 'breached', 'compliance_pct'],
      r.trend.map((t) => [t.week, t.requests, t.met, t.breached, t.compliancePct]),
    ],
    [
      'Satisfaction',
      ['score', 'ratings'],
      [...SCORES.map((s): Cell[] => [s, r.csat.distribution[s]]), ['average', r.csat.average]],
    ],
    ['What would have made it better', ['day', 'request', 'answer'], r.better.map((b) => [b.day, b.id, b.text])],
    ['Causes', ['cause', 'requests'], Object.entries(r.causes).map(([k, v]) => [k, v])],
    [
      'When breaches happen',
      ['weekday', ...Array.from({ length: 24 }, (_, h) => hh(h))],
      r.heatmap.map((row, w) => [WEEKDAY_SHORT[w] ?? String(w + 1), ...row]),
    ],
    ['By service', ['service', 'breached'], r.byService.map((s) => [s.service, s.breached])],
    ['By assignee', ['assignee', 'breached'], r.byAssignee.map((a) => [a.assignee ?? '(unassigned)', a.breached])],
  ];
  const lines: string[] = [];
  for (const [name, head, rows] of sections) lines.push(csvRow([name]), csvRow(head), ...rows.map(csvRow), '');
  return lines.join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// Plain text

/** Left-aligned columns, numbers right-aligned. */
function table(head: readonly string[], rows: readonly Cell[][]): string[] {
  const text = rows.map((row) => row.map((c) => (c === null ? '–' : String(c))));
  const widths = head.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || row[i] === null),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...text.map(line)];
}

const pctText = (p: number | null) => (p === null ? '–' : `${p}%`);
/** One line of user text in a terminal: no control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a table cell must not hold
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** The report as plain text lines for a terminal. */
export function reportTable(r: Report): string {
  const out: string[] = [`${oneLine(r.departmentName)} (${r.department}), ${r.from} to ${r.to}`];
  if (r.empty) {
    out.push(
      `Nobody filed a request to ${oneLine(r.departmentName)} in ${r.label}, so there is nothing to report yet.`,
    );
    return out.join('\n');
  }
  out.push(
    `Compliance ${pctText(r.compliancePct)}: ${r.requests} filed, ${r.met} met, ${r.breached} breached, ${r.open} open, ${r.cancelled} cancelled`,
    `Missed targets: ${r.breachesByTarget.response} response, ${r.breachesByTarget.resolution} resolution`,
  );
  const block = (title: string, lines: string[]) => lines.length > 0 && out.push('', title, ...lines);
  block(
    'Penalties',
    Object.keys(r.penalties).length
      ? table(
          ['unit', 'charged', 'waived', 'owed'],
          Object.entries(r.penalties).map(([u, p]) => [u, p.charged, p.waived, p.owed]),
        )
      : [],
  );
  block(
    'By agreement',
    table(
      ['agreement', 'service', 'priority', 'requests', 'met', 'breached', 'compliance'],
      r.byAgreement.map((a) => [
        a.agreement,
        oneLine(a.name),
        a.priority,
        a.requests,
        a.met,
        a.breached,
        pctText(a.compliancePct),
      ]),
    ),
  );
  block(
    'Weekly trend',
    table(
      ['week', 'requests', 'met', 'breached', 'compliance'],
      r.trend.map((t) => [t.week, t.requests, t.met, t.breached, pctText(t.compliancePct)]),
    ),
  );
  if (r.csat.count > 0) {
    block('Satisfaction', [
      `${r.csat.average} / 5 from ${r.csat.count} rating${r.csat.count === 1 ? '' : 's'}: ${SCORES.map((s) => `${s}: ${r.csat.distribution[s]}`).join(', ')}`,
    ]);
  }
  block(
    'What would have made it better',
    r.better.slice(0, 10).map((b) => `${b.day} ${b.id}: ${oneLine(b.text)}`),
  );
  block(
    'Causes',
    Object.entries(r.causes)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k}: ${v}`),
  );
  block(
    'When breaches happen',
    topHeatCells(r.heatmap, 5).map((c) => `${heatCellLabel(c)}: ${c.breached}`),
  );
  block(
    'By service',
    table(
      ['service', 'breached'],
      r.byService.slice(0, 10).map((s) => [oneLine(s.service), s.breached]),
    ).slice(r.byService.length ? 0 : 1),
  );
  block(
    'By assignee',
    table(
      ['assignee', 'breached'],
      r.byAssignee.slice(0, 10).map((a) => [a.assignee ?? '(unassigned)', a.breached]),
    ).slice(r.byAssignee.length ? 0 : 1),
  );
  return out.join('\n');
}
