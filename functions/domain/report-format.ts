/**
 * A report shown outside Slack: as CSV (`reportCsv`) and as plain text for a terminal
 * (`reportTable`), and the busiest cells of its breach heatmap, which both and the Slack view name.
 */
import { DateTime } from 'luxon';
import { formatDuration, HOUR_MS } from './duration';
import { type Report, SCORES } from './report';
import { type Review, reviewLine } from './review';
import { timeText } from './times';

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

export type Cell = string | number | null;

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

export const csvRow = (cells: readonly Cell[]) => cells.map(csvField).join(',');

/**
 * The report as CSV: every table of the report, one section each (its name on a line, a header,
 * the rows, an empty line), CRLF line ends. Without `forHeads` the penalty columns and
 * section and the breaches per assignee are left out, not zeroed.
 */
export function reportCsv(r: Report, { forHeads = true }: { forHeads?: boolean } = {}): string {
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
        ...(forHeads ? ['penalty_total', 'penalty_unit'] : []),
        // Added with reopen cycles: last, so the older columns keep their places.
        'breached_this_cycle',
        'breaches',
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
          ...(forHeads ? [r.penaltyTotal, r.penaltyUnit] : []),
          r.breachedThisCycle,
          r.breaches,
        ],
      ],
    ],
    ...(forHeads
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
    [
      'Waiting on requesters',
      ['requests_paused', 'paused_pct', 'pauses', 'waited_hours', 'average_hours_per_paused_request'],
      [
        [
          r.waiting.paused,
          r.waiting.sharePct,
          r.waiting.pauses,
          hours(r.waiting.waitedMs),
          r.waiting.averageMs === null ? null : hours(r.waiting.averageMs),
        ],
      ],
    ],
    ...(forHeads
      ? [
          [
            'By assignee',
            ['assignee', 'breached'],
            r.byAssignee.map((a): Cell[] => [a.assignee ?? '(unassigned)', a.breached]),
          ] as [string, Cell[], Cell[][]],
        ]
      : []),
    // Added with times: last, so the older sections keep their places. Hours are bucket bounds; empty past the last.
    [
      'Times',
      [
        'priority',
        'responses',
        'response_median_hours',
        'response_p90_hours',
        'resolutions',
        'resolution_median_hours',
        'resolution_p90_hours',
      ],
      Object.entries(r.times).map(([p, t]): Cell[] => [
        p,
        t.counts.response,
        boundHours(t.responseMedianMs),
        boundHours(t.responseP90Ms),
        t.counts.resolution,
        boundHours(t.resolutionMedianMs),
        boundHours(t.resolutionP90Ms),
      ]),
    ],
  ];
  const lines: string[] = [];
  for (const [name, head, rows] of sections) lines.push(csvRow([name]), csvRow(head), ...rows.map(csvRow), '');
  return lines.join('\r\n');
}

// ---------------------------------------------------------------------------------------------
// Plain text

/** Left-aligned columns, numbers right-aligned. */
export function table(head: readonly string[], rows: readonly Cell[][]): string[] {
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

export const pctText = (p: number | null) => (p === null ? '–' : `${p}%`);
/** One line of user text in a terminal: no control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what a table cell must not hold
export const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ');

/**
 * The report as plain text lines for a terminal, naming things as people do: agreements by their
 * service and customer (`customers`: the customer's name by agreement id; the id stands in when
 * it is not known), assignees by Slack user ID (no names are kept outside Slack).
 */
export function reportTable(
  r: Report,
  {
    customers = {},
    reviews = [],
  }: { customers?: Readonly<Record<string, string>>; reviews?: readonly NamedReview[] } = {},
): string {
  const out: string[] = [`${oneLine(r.departmentName)} (${r.department}), ${r.from} to ${r.to}`];
  if (r.empty) {
    out.push(
      `Nobody filed a request to ${oneLine(r.departmentName)} in ${r.label}, so there is nothing to report yet.`,
    );
    return out.join('\n');
  }
  out.push(
    `Compliance ${pctText(r.compliancePct)}: ${r.requests} filed, ${r.met} met, ${r.breached} breached, ${r.open} open, ${r.cancelled} cancelled`,
    `Missed targets: ${r.breaches} (${r.breachesByTarget.response} response, ${r.breachesByTarget.resolution} resolution); ${r.breached} requests ever breached, ${r.breachedThisCycle} breached this cycle`,
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
      ['service', 'for', 'priority', 'requests', 'met', 'breached', 'compliance'],
      r.byAgreement.map((a) => [
        oneLine(a.name),
        oneLine(customers[a.agreement] ?? a.agreement),
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
  const times = timesTable(r);
  block(
    'Times (working time, median and p90 by bucket)',
    times.length ? [...times, timesSinceNote(r.timesCountedSince)] : [],
  );
  if (r.waiting.paused > 0) block('Waiting on requesters', [waitingText(r)]);
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
  block('Joint reviews', reviewsText(reviews));
  block(
    'By assignee',
    table(
      ['assignee (Slack user ID)', 'breached'],
      r.byAssignee.slice(0, 10).map((a) => [a.assignee ?? '(unassigned)', a.breached]),
    ).slice(r.byAssignee.length ? 0 : 1),
  );
  return out.join('\n');
}

/** Working hours with two decimals (a report's waited time). */
const hours = (ms: number): number => Math.round((ms / HOUR_MS) * 100) / 100;
const boundHours = (ms: number | null): number | null => (ms === null ? null : hours(ms));

/**
 * Time to first response and to resolution per priority: `≤ 4h` style medians and p90s (the bound of
 * the bucket they fall in), how many met targets each stands on; nothing when no time was counted.
 */
export function timesTable(r: Report): string[] {
  const rows = Object.entries(r.times);
  if (rows.length === 0) return [];
  return table(
    ['priority', 'responses', 'median', 'p90', 'resolutions', 'median', 'p90'],
    rows.map(([p, t]) => [
      p,
      t.counts.response,
      timeText(t.responseMedianMs, t.counts.response),
      timeText(t.responseP90Ms, t.counts.response),
      t.counts.resolution,
      timeText(t.resolutionMedianMs, t.counts.resolution),
      timeText(t.resolutionP90Ms, t.counts.resolution),
    ]),
  );
}

/** The note under the times: counted since when, and how to read a median. */
export const timesSinceNote = (since: string): string =>
  `Times count targets met since ${DateTime.fromISO(since, { zone: 'UTC', locale: 'en' }).toFormat('LLLL yyyy')}, in working time; a median of ≤ 4h means half were met within 4 working hours.`;

/** `12 of 80 requests (15%) waited on their requester, 20 pauses, 34h in all, 2h 50m per paused request`. */
export function waitingText(r: Report): string {
  const w = r.waiting;
  const average = w.averageMs === null ? '' : `, ${formatDuration(w.averageMs)} per paused request`;
  const spread = w.timed === 0 ? '' : ` (median ${timeText(w.medianMs, w.timed)}, p90 ${timeText(w.p90Ms, w.timed)})`;
  return `${w.paused} of ${r.requests} requests (${pctText(w.sharePct)}) waited on their requester, ${w.pauses} pause${w.pauses === 1 ? '' : 's'}, ${formatDuration(w.waitedMs)} of working time in all${average}${spread}`;
}

/** A joint review with the agreement's name as people know it ("IT · Laptops and accounts"). */
export interface NamedReview {
  agreement: string;
  review: Review;
}

/** The "Joint reviews" lines of a report: each review of the period and where it stands. */
export const reviewsText = (reviews: readonly NamedReview[], options: { penalties?: boolean } = {}): string[] =>
  reviews.map(({ agreement, review }) => `${oneLine(agreement)}: ${oneLine(reviewLine(review, options))}`);
