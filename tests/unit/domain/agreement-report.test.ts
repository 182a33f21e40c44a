/**
 * One agreement's figures from its provider's day counters (functions/domain/agreement-report.ts):
 * another agreement of the same provider never leaks in, and the per-agreement breakdowns feed the
 * same heatmap and causes as the department's report.
 */
import {
  agreementCounters,
  agreementSpan,
  buildAgreementReport,
  monthNeighbours,
} from '../../../functions/domain/agreement-report';

const DAY = {
  filed: 3,
  met: 1,
  breached: 2,
  'filed|it-for-finance|P1': 2,
  'filed|it-for-everyone|P2': 1,
  'met|it-for-finance|P1': 1,
  'breached|it-for-finance|P1': 1,
  'breached|it-for-everyone|P2': 1,
  'heat|2|9': 2,
  'aheat|it-for-finance|2|9': 1,
  'aheat|it-for-everyone|2|9': 1,
  'acause|it-for-finance|handoff': 1,
  'cause|handoff': 1,
  'cust|finance|filed|it-for-finance': 2,
  'penalty|points': 100,
};

it("keeps only the agreement's own counters, under the names the report reads", () => {
  expect(agreementCounters(DAY, 'it-for-finance')).toEqual({
    filed: 2,
    'filed|it-for-finance|P1': 2,
    met: 1,
    'met|it-for-finance|P1': 1,
    breached: 1,
    'breached|it-for-finance|P1': 1,
    'heat|2|9': 1,
    'cause|handoff': 1,
  });
});

it('builds the trend, heatmap and causes of the agreement alone', () => {
  const r = buildAgreementReport({
    agreement: 'it-for-finance',
    service: 'Laptops',
    provider: { id: 'it', name: 'IT' },
    from: '2026-11-16',
    to: '2026-11-22',
    days: [{ day: '2026-11-17', counters: DAY }],
  });
  expect(r).toMatchObject({ requests: 2, met: 1, breached: 1, compliancePct: 50, penaltyTotal: 0 });
  expect(r.trend).toEqual([{ week: '2026-W47', requests: 2, met: 1, breached: 1, compliancePct: 50 }]);
  expect(r.heatmap[1]![9]).toBe(1);
  expect(r.causes.handoff).toBe(1);
});

it('spans 12 ISO weeks up to today, and knows a month from anything else', () => {
  expect(agreementSpan('2026-11-24')).toEqual({ from: '2026-09-07', to: '2026-11-24' });
  expect(monthNeighbours('2026-01')).toEqual({ prev: '2025-12', next: '2026-02' });
  for (const bad of ['2026-13', '2026-1', 'november', '2026-11-01', '']) expect(monthNeighbours(bad)).toBeNull();
});
