/**
 * Charts as PNG images for Slack: a Vega-Lite spec is compiled to Vega, rendered headless to SVG
 * (pure JavaScript), and the SVG is drawn to PNG by resvg compiled to WebAssembly with the DejaVu
 * Sans font shipped beside it. No native binary, no canvas and no system fonts, so the same files
 * work on x64 and arm64. Shared code: nothing here knows Slack or AWS.
 *
 * Bundling (lib/constructs/worker.ts): the worker bundles Vega with vega-canvas aliased to its
 * browser build (its Node build has a top-level `await import('canvas')`, which esbuild cannot emit
 * as CommonJS; without a canvas Vega estimates text widths, which is all the layout needs), and
 * `@resvg/resvg-wasm` and `dejavu-fonts-ttf` stay external: their run-time files are copied into the
 * asset's node_modules, where the `require`/`require.resolve` below find them (and find the installed
 * packages under jest and `npm start`). The other functions leave all four out (kept-function.ts).
 *
 * Both charts are sized for a phone first: Slack shows a tapped image at the screen's width, so the
 * text is large for the image and the heatmap stands upright (hours down, weekdays across).
 */
import { readFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';

/** The family name inside DejaVuSans.ttf, used by the SVG text and by resvg's font lookup. */
const FONT_FAMILY = 'DejaVu Sans';
/** Device pixels per CSS pixel: 2 keeps the text sharp on high-density screens. */
const SCALE = 2;
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
export async function renderTrendPng(points: readonly TrendPoint[], opts?: ChartText): Promise<Buffer> {
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
  const values = points.map((p, i) => ({ i, label: labels[i], pct: p.compliancePct }));
  const anyValue = points.some((p) => p.compliancePct !== null);
  const dense = points.length > 26;
  const layer: unknown[] = [
    { mark: { type: 'line', color: LINE, strokeWidth: dense ? 2 : 3, invalid: 'break-paths-show-domains' } },
    // A point per week, so a week between two gaps still shows.
    {
      mark: {
        type: 'point',
        filled: true,
        size: dense ? 25 : 70,
        color: LINE,
        opacity: 1,
        invalid: 'break-paths-show-domains',
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
  return specToPng(spec as TopLevelSpec);
}

/**
 * Breaches by weekday and hour: `cells[d][h]` for weekday d (0 = Monday … 6 = Sunday) and hour h
 * (0–23). Upright for phones: weekdays across, hours down; each cell with a breach shows its count.
 */
export async function renderHeatmapPng(cells: readonly (readonly number[])[], opts?: ChartText): Promise<Buffer> {
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
  return specToPng(spec as TopLevelSpec);
}

// ---------------------------------------------------------------------------------------------
// Rendering
//
// The libraries load on the first chart, not with this module: the worker's cold start and every
// other work item do not pay for them, and the other functions (whose bundles reach this file
// through the in-process outbox but never render) leave them out of their bundles altogether.

type Resvg = typeof import('@resvg/resvg-wasm');
interface Vega {
  parse: typeof import('vega').parse;
  View: typeof import('vega').View;
  compile: typeof import('vega-lite').compile;
}

/** Starts `load` once per process and keeps its result; a failure is not kept, so the next call tries again. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () =>
    (ready ??= load().catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));
}

// Three separate steps: resvg refuses a second initWasm after a successful one, so a font that could
// not be read must not make the wasm load again.
const loadResvg = once(async (): Promise<Resvg> => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resvg = require('@resvg/resvg-wasm') as Resvg;
  await resvg.initWasm(await readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  return resvg;
});
const loadFont = once(
  async () => new Uint8Array(await readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))),
);
// ES modules only: import() (bundled into the worker; native ESM under `npm start`).
const loadVega = once(async (): Promise<Vega> => {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  return { parse: vega.parse, View: vega.View, compile: vl.compile };
});

/** The spec as an SVG string (Vega only: no wasm, no font). */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const { parse, View, compile } = await loadVega();
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function specToPng(spec: TopLevelSpec): Promise<Buffer> {
  const [{ Resvg }, font, svg] = await Promise.all([loadResvg(), loadFont(), specToSvg(spec)]);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: SCALE },
    font: { fontBuffers: [font], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  // wasm memory is not garbage-collected: free what resvg allocated.
  try {
    const image = resvg.render();
    try {
      return Buffer.from(image.asPng());
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
