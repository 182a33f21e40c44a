/**
 * The report charts (functions/charts/render.ts): real PNGs from Vega-Lite -> SVG -> resvg (wasm)
 * with the shipped font, sized for a phone, different for different data, strict about their input.
 */
import { renderHeatmapPng, renderTrendPng, type TrendPoint } from '../../functions/charts/render';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Width and height from the IHDR chunk (the first chunk of every PNG). */
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const isPng = (png: Buffer) =>
  png.subarray(0, 8).equals(PNG_MAGIC) && png.subarray(12, 16).toString('latin1') === 'IHDR';

const TREND: TrendPoint[] = [
  { week: '2026-W45', compliancePct: 100 },
  { week: '2026-W46', compliancePct: 80 },
  { week: '2026-W47', compliancePct: null },
  { week: '2026-W48', compliancePct: 66.7 },
  { week: '2026-W49', compliancePct: 92.3 },
];
const grid = (f: (d: number, h: number) => number) =>
  Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => f(d, h)));
const HEAT = grid((d, h) => (d < 5 && h >= 9 && h <= 17 ? (d + h) % 4 : 0));

describe('renderTrendPng', () => {
  it('draws the weekly trend as a PNG of a sane size, at twice the CSS size', async () => {
    const png = await renderTrendPng(TREND);
    expect(isPng(png)).toBe(true);
    const { width, height } = size(png);
    // About 440 x 260 CSS pixels of plot plus title, axes and padding, drawn at 2x.
    expect(width).toBeGreaterThan(900);
    expect(width).toBeLessThan(1400);
    expect(height).toBeGreaterThan(550);
    expect(height).toBeLessThan(1000);
    expect(png.length).toBeLessThan(200_000);
  });

  it('draws different data differently, and draws the text (a changed subtitle changes the image)', async () => {
    const png = await renderTrendPng(TREND);
    const other = await renderTrendPng(
      TREND.map((p) => ({ ...p, compliancePct: p.compliancePct === null ? null : 100 - p.compliancePct })),
    );
    const subtitled = await renderTrendPng(TREND, { subtitle: 'Operations, November 2026' });
    expect(other.equals(png)).toBe(false);
    expect(subtitled.equals(png)).toBe(false);
    expect(size(subtitled).width).toBe(size(png).width);
    // Same input, same bytes: nothing depends on the clock or randomness.
    expect((await renderTrendPng(TREND)).equals(png)).toBe(true);
  });

  it('renders a period with no weeks, and one where every week is null', async () => {
    const empty = await renderTrendPng([]);
    const allNull = await renderTrendPng(TREND.map((p) => ({ ...p, compliancePct: null })));
    expect(isPng(empty)).toBe(true);
    expect(isPng(allNull)).toBe(true);
    expect(allNull.equals(empty)).toBe(false);
  });

  it('renders a long period (a year of weeks) without growing wider, and labels that are not ISO weeks', async () => {
    const year = Array.from({ length: 53 }, (_, i) => ({
      week: `2026-W${String(i + 1).padStart(2, '0')}`,
      compliancePct: (i * 37) % 101,
    }));
    expect(size(await renderTrendPng(year)).width).toBeLessThan(1400);
    expect(
      isPng(
        await renderTrendPng([
          { week: '7 Apr', compliancePct: 50 },
          { week: '14 Apr', compliancePct: 75 },
        ]),
      ),
    ).toBe(true);
  });

  it('refuses percentages outside 0–100', async () => {
    await expect(renderTrendPng([{ week: '2026-W01', compliancePct: 101 }])).rejects.toThrow('0–100');
    await expect(renderTrendPng([{ week: '2026-W01', compliancePct: Number.NaN }])).rejects.toThrow('0–100');
  });
});

describe('renderHeatmapPng', () => {
  it('draws the 7 x 24 grid upright (taller than wide, for a phone)', async () => {
    const png = await renderHeatmapPng(HEAT);
    expect(isPng(png)).toBe(true);
    const { width, height } = size(png);
    expect(height).toBeGreaterThan(width);
    expect(width).toBeGreaterThan(600);
    expect(width).toBeLessThan(1000);
    expect(height).toBeLessThan(1600);
  });

  it('draws different counts differently; an all-zero grid renders too', async () => {
    const png = await renderHeatmapPng(HEAT);
    const moved = await renderHeatmapPng(grid((d, h) => (d === 6 && h === 23 ? 1 : 0)));
    const zero = await renderHeatmapPng(grid(() => 0));
    const big = await renderHeatmapPng(grid((d, h) => (d * 24 + h) * 41));
    for (const p of [moved, zero, big]) expect(isPng(p)).toBe(true);
    expect(new Set([png, moved, zero, big].map((p) => p.toString('base64'))).size).toBe(4);
  });

  it('refuses a grid that is not 7 weekdays x 24 hours, or cells that are not counts', async () => {
    await expect(renderHeatmapPng([[1, 2, 3]])).rejects.toThrow('7 x 24');
    await expect(renderHeatmapPng(grid(() => 0).slice(0, 6))).rejects.toThrow('7 x 24');
    await expect(renderHeatmapPng(grid(() => 0).map((row, d) => (d === 3 ? row.slice(1) : row)))).rejects.toThrow(
      '7 x 24',
    );
    await expect(renderHeatmapPng(grid((d, h) => (d === 0 && h === 0 ? -1 : 0)))).rejects.toThrow('counts');
    await expect(renderHeatmapPng(grid((d, h) => (d === 0 && h === 0 ? 1.5 : 0)))).rejects.toThrow('counts');
  });
});

describe('initialisation', () => {
  it('is not kept when it fails: the next chart tries again and works', async () => {
    await jest.isolateModulesAsync(async () => {
      const actual = jest.requireActual<typeof import('@resvg/resvg-wasm')>('@resvg/resvg-wasm');
      const initWasm = jest.fn(actual.initWasm).mockRejectedValueOnce(new Error('wasm trouble'));
      jest.doMock('@resvg/resvg-wasm', () => ({ ...actual, initWasm }));
      const charts = await import('../../functions/charts/render');
      await expect(charts.renderTrendPng(TREND)).rejects.toThrow('wasm trouble');
      expect(isPng(await charts.renderTrendPng(TREND))).toBe(true);
      expect(isPng(await charts.renderHeatmapPng(HEAT))).toBe(true);
      // Once it worked, it is not done again.
      expect(initWasm).toHaveBeenCalledTimes(2);
    });
  });
});
