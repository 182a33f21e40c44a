/**
 * The charts' Vega-Lite specs (functions/domain/chart-specs.ts), shared by the Slack PNGs and the
 * web's agreement page: plain data a browser can take as JSON, with tooltips on what can be hovered,
 * strict about their input before any chart library is involved.
 */
import { causesSpec, heatmapSpec, trendSpec } from '../../../functions/domain/chart-specs';

const grid = (f: (d: number, h: number) => number) =>
  Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => f(d, h)));

it('builds the trend as JSON-safe data: each week a point with a tooltip naming the week and its value', () => {
  const spec = trendSpec([
    { week: '2026-W47', compliancePct: 50 },
    { week: '2026-W48', compliancePct: null },
  ]);
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  const json = JSON.stringify(spec);
  expect(json).toContain('"tooltip":[{"field":"week"');
  expect((spec as { data: { values: unknown[] } }).data.values).toEqual([
    { i: 0, label: 'W47', week: '2026-W47', pct: 50 },
    { i: 1, label: 'W48', week: '2026-W48', pct: null },
  ]);
});

it('refuses a percentage outside 0–100 and a grid that is not 7 x 24, before drawing anything', () => {
  expect(() => trendSpec([{ week: 'x', compliancePct: 101 }])).toThrow(RangeError);
  expect(() => heatmapSpec(grid(() => 0).slice(1))).toThrow(RangeError);
});

it('the heatmap tells its weekday, hour and count when a cell is hovered', () => {
  const spec = heatmapSpec(grid((d, h) => (d === 1 && h === 9 ? 2 : 0)));
  const cells = (spec as { data: { values: { day: string; hour: string; count: number }[] } }).data.values;
  expect(cells.filter((c) => c.count > 0)).toEqual([{ day: 'Tue', hour: '09:00', count: 2 }]);
  expect(JSON.stringify(spec)).toContain('"title":"Hour filed"');
});

it('the causes chart leaves out causes with no breach and counts those given in its title', () => {
  const spec = causesSpec([
    { cause: 'Handoff', count: 2 },
    { cause: 'Staffing', count: 0 },
  ]) as { data: { values: unknown[] }; title: { subtitle: string[] } };
  expect(spec.data.values).toEqual([{ cause: 'Handoff', count: 2 }]);
  expect(spec.title.subtitle).toContain('2 causes given');
});
