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
 * The specs themselves are pure and live in domain/chart-specs.ts, shared with the web dashboard.
 */
import { readFile } from 'node:fs/promises';
import type { TopLevelSpec } from 'vega-lite';
import { type ChartText, FONT_FAMILY, heatmapSpec, type TrendPoint, trendSpec } from '../domain/chart-specs';

export type { ChartText, TrendPoint } from '../domain/chart-specs';

/** Device pixels per CSS pixel: 2 keeps the text sharp on high-density screens. */
const SCALE = 2;

/**
 * Weekly compliance, 0–100 %, as a PNG (domain/chart-specs.ts trendSpec): a line through the weeks
 * in order, broken where a week is null.
 */
export async function renderTrendPng(points: readonly TrendPoint[], opts?: ChartText): Promise<Buffer> {
  return specToPng(trendSpec(points, opts));
}

/** Breaches by weekday and hour as a PNG (domain/chart-specs.ts heatmapSpec). */
export async function renderHeatmapPng(cells: readonly (readonly number[])[], opts?: ChartText): Promise<Buffer> {
  return specToPng(heatmapSpec(cells, opts));
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
// ES modules only: import() (in the worker, from their own bundles beside index.js, worker.ts
// CHART_LIBRARIES; native ESM under `npm start`).
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
