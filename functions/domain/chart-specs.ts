/**
 * The charts' Vega-Lite specs, pure functions of their data: the same spec is drawn to a PNG for
 * Slack (charts/render.ts, in the worker) and in the browser by vega-embed on the web's agreement
 * page (web/agreement-page.ts), so the two never drift apart. Plain objects, no chart library at
 * run time (the Vega-Lite import is a type only): the web and the Slack function may build them
 * without bundling Vega.
 *
 * Both charts are sized for a phone first: Slack shows a tapped image at the screen's width, so the
 * text is large for the image and the heatmap stands upright (hours down, weekdays across).
 */
import type { TopLevelSpec } from 'vega-lite';

/** The family name inside DejaVuSans.ttf, used by the SVG text and by resvg's font lookup. */
export const FONT_FAMILY = 'DejaVu Sans';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`);
const INK = '#1f2937';
const MUTED = '#6b7280';
const LINE = '#2563eb';
const COUNT = new Intl.NumberFormat('en-US');

export interface TrendPoint {
  /** The week as a label (`2026-W48`, or anything else); points are drawn in array order. */
  week: string;
  /** 0–100, or null when nothing was decided that week (the line breaks there). */
  compliancePct: number | null;
}

/** Text drawn under a chart's title, e.g. the department and the period. */
export interface ChartText {
  subtitle?: string;
}

/** Theme shared by both charts. Only the regular face is shipped, so nothing asks for bold. */
const CONFIG = {
  font: FONT_FAMILY,
  background: '#ffffff',
  padding: 16,
  view: { stroke: null },
  axis: {
    labelFontSize: 13,
    titleFontSize: 13,
    titleFontWeight: 'normal',
    labelColor: INK,
    titleColor: MUTED,
    domainColor: '#9ca3af',
    tickColor: '#9ca3af',
  },
  title: {
    fontSize: 18,
    fontWeight: 'normal',
    color: INK,
    subtitleFontSize: 13,
    subtitleColor: MUTED,
    anchor: 'start',
    offset: 14,
  },
} as const;

/** Vega does not wrap titles: a long line is cut with an ellipsis instead of widening the image. */
const fit = (line: string) => (line.length > 60 ? `${line.slice(0, 59)}…` : line);

function title(text: string, ...subtitles: (string | undefined)[]) {
  const lines = subtitles
    .map((s) => s?.trim())
    .filter((s): s is string => !!s)
    .map(fit);
  return lines.length > 0 ? { text, subtitle: lines } : { text };
}

/** ISO weeks of one year read as `W48` with the year in the axis title; anything else is shown as given. */
function weekLabels(points: readonly TrendPoint[]): { labels: string[]; axisTitle: string | null } {
  const iso = points.map((p) => /^(\d{4})-W(\d{2})$/.exec(p.week));
  const years = new Set(iso.map((m) => m?.[1]));
  if (points.length > 0 && iso.every((m) => m !== null) && years.size === 1) {
    return { labels: iso.map((m) => `W${m![2]}`), axisTitle: `Week of ${[...years][0]}` };
  }
  return { labels: points.map((p) => p.week), axisTitle: null };
}

/**
 * Weekly compliance, 0–100 %: a line through the weeks in order, broken where a week is null,
 * each point labelled with its value while that stays legible.
 */
export function trendSpec(points: readonly TrendPoint[], opts?: ChartText): TopLevelSpec {
  for (const p of points) {
    if (
      p.compliancePct !== null &&
      !(Number.isFinite(p.compliancePct) && p.compliancePct >= 0 && p.compliancePct <= 100)
    ) {
      throw new RangeError(`compliancePct must be 0–100 or null, got ${p.compliancePct} for ${JSON.stringify(p.week)}`);
    }
  }
  const { labels, axisTitle } = weekLabels(points);
  // Labels keep their position even when two weeks read the same (a week shown twice is a caller's bug, not a crash).
  const values = points.map((p, i) => ({ i, label: labels[i], week: p.week, pct: p.compliancePct }));
  const anyValue = points.some((p) => p.compliancePct !== null);
  const dense = points.length > 26;
  const layer: unknown[] = [
    { mark: { type: 'line', color: LINE, strokeWidth: dense ? 2 : 3, invalid: 'break-paths-show-domains' } },
    // A point per week, so a week between two gaps still shows; hovered in a browser, it says its week and value.
    {
      mark: {
        type: 'point',
        filled: true,
        size: dense ? 25 : 70,
        color: LINE,
        opacity: 1,
        invalid: 'break-paths-show-domains',
      },
      encoding: {
        tooltip: [
          { field: 'week', type: 'nominal', title: 'Week' },
          { field: 'pct', type: 'quantitative', title: '% met on time', format: '.1f' },
        ],
      },
    },
  ];
  if (points.length <= 14) {
    layer.push({
      mark: { type: 'text', dy: -14, fontSize: 13, color: INK },
      transform: [{ filter: 'isValid(datum.pct)' }],
      encoding: { text: { field: 'pct', type: 'quantitative', format: '.0f' } },
    });
  }
  if (!anyValue) {
    layer.push({
      data: { values: [{}] },
      mark: {
        type: 'text',
        fontSize: 15,
        color: MUTED,
        text: points.length === 0 ? 'No weeks in this period' : 'No request was met or breached yet',
      },
      encoding: { x: { value: { expr: 'width / 2' } }, y: { value: { expr: 'height / 2' } } },
    });
  }
  const spec = {
    title: title('Weekly compliance', opts?.subtitle),
    width: 440,
    height: 260,
    config: CONFIG,
    data: { values },
    encoding: {
      x: {
        field: 'i',
        type: 'ordinal',
        // An explicit domain keeps a week without a value on the axis.
        scale: { domain: values.map((v) => v.i) },
        axis: {
          title: axisTitle,
          labelExpr: `${JSON.stringify(labels)}[datum.value] || ''`,
          labelAngle: points.length > 8 ? -45 : 0,
          labelOverlap: 'greedy',
          labelSeparation: 4,
        },
      },
      y: {
        field: 'pct',
        type: 'quantitative',
        scale: { domain: [0, 100], nice: false },
        axis: { title: '% met on time', values: [0, 25, 50, 75, 100], grid: true, gridColor: '#eef0f3' },
      },
    },
    layer,
  };
  return spec as TopLevelSpec;
}

/**
 * Breaches by weekday and hour: `cells[d][h]` for weekday d (0 = Monday … 6 = Sunday) and hour h
 * (0–23). Upright for phones: weekdays across, hours down; each cell with a breach shows its count.
 */
export function heatmapSpec(cells: readonly (readonly number[])[], opts?: ChartText): TopLevelSpec {
  if (cells.length !== 7 || cells.some((row) => row.length !== 24)) {
    throw new RangeError(
      `cells must be 7 x 24 (weekday x hour), got ${cells.length} x ${cells.map((r) => r.length).join('/')}`,
    );
  }
  if (cells.some((row) => row.some((n) => !Number.isInteger(n) || n < 0)))
    throw new RangeError('cells must be counts (whole numbers, 0 or more)');
  const max = Math.max(1, ...cells.flat());
  const total = cells.flat().reduce((a, b) => a + b, 0);
  const spec = {
    title: title(
      'When breaches happen',
      opts?.subtitle,
      `${COUNT.format(total)} breached request${total === 1 ? '' : 's'}, by hour filed`,
    ),
    width: { step: 48 },
    height: { step: 24 },
    config: CONFIG,
    data: { values: cells.flatMap((row, d) => row.map((count, h) => ({ day: WEEKDAYS[d], hour: HOURS[h], count }))) },
    encoding: {
      x: {
        field: 'day',
        type: 'ordinal',
        sort: WEEKDAYS,
        axis: { title: null, orient: 'top', labelAngle: 0, ticks: false, domain: false, labelPadding: 6 },
      },
      y: {
        field: 'hour',
        type: 'ordinal',
        sort: HOURS,
        axis: { title: null, ticks: false, domain: false, labelPadding: 6 },
      },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 2 },
        encoding: {
          tooltip: [
            { field: 'day', type: 'ordinal', title: 'Weekday' },
            { field: 'hour', type: 'ordinal', title: 'Hour filed' },
            { field: 'count', type: 'quantitative', title: 'Breached' },
          ],
          color: {
            // None is a pale grey, so "none" does not read as "a few".
            condition: { test: 'datum.count === 0', value: '#f3f4f6' },
            field: 'count',
            type: 'quantitative',
            scale: { scheme: 'oranges', domain: [0, max] },
            legend: null, // the counts are written in the cells
          },
        },
      },
      {
        mark: { type: 'text', fontSize: max >= 1000 ? 11 : 13 },
        transform: [{ filter: 'datum.count > 0' }],
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max * 0.55}`, value: '#ffffff' }, value: INK },
        },
      },
    ],
  };
  return spec as TopLevelSpec;
}

/** Breaches by cause, most first: one bar per category with a count (the categories with none are left out). */
export function causesSpec(rows: readonly { cause: string; count: number }[], opts?: ChartText): TopLevelSpec {
  const values = rows.filter((r) => r.count > 0).map((r) => ({ cause: r.cause, count: r.count }));
  const total = values.reduce((a, r) => a + r.count, 0);
  const spec = {
    title: title(
      'Why breaches happened',
      opts?.subtitle,
      `${COUNT.format(total)} cause${total === 1 ? '' : 's'} given`,
    ),
    width: 440,
    height: { step: 30 },
    config: CONFIG,
    data: { values },
    encoding: {
      y: { field: 'cause', type: 'nominal', sort: '-x', axis: { title: null, ticks: false, domain: false } },
      x: {
        field: 'count',
        type: 'quantitative',
        axis: { title: 'Breached requests', tickMinStep: 1, grid: true, gridColor: '#eef0f3' },
      },
    },
    layer: [
      {
        mark: { type: 'bar', color: '#ea580c' },
        encoding: {
          tooltip: [
            { field: 'cause', type: 'nominal', title: 'Cause' },
            { field: 'count', type: 'quantitative', title: 'Breached' },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 13, color: INK },
        encoding: { text: { field: 'count', type: 'quantitative' } },
      },
    ],
  };
  return spec as TopLevelSpec;
}
