/**
 * The agreement page as a person reads it (functions/web/agreement-page.ts): names are text, never
 * markup, even inside a chart's JSON; every chart has a table with its figures; penalties, the
 * ledger and its CSV link appear only when the view carries them (heads and admins).
 */
import type { AgreementView } from '../../../functions/web/agreement';
import { agreementPage, badMonthPage, noSuchAgreementPage } from '../../../functions/web/agreement-page';

const SCRIPTS = { vega: '/v.js', vegaLite: '/vl.js', vegaEmbed: '/ve.js', charts: '/c.js' };
const heat = Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 1 && h === 9 ? 1 : 0)));

const view = (over: Partial<AgreementView> = {}): AgreementView => ({
  id: 'it-for-finance',
  service: 'Laptops </script><script>alert(1)</script>',
  providerName: 'IT',
  customerName: 'Finance',
  everyone: false,
  terms: {
    targets: [{ priority: 'P1', text: 'answer in 30m, solve in 4h' }],
    penalty: '50 points per breach',
    atRisk: 'at risk after 75% of a target',
  },
  from: '2026-09-07',
  to: '2026-11-24',
  weeks: 12,
  report: {
    requests: 2,
    met: 1,
    breached: 1,
    compliancePct: 50,
    trend: [{ week: '2026-W47', requests: 2, met: 1, breached: 1, compliancePct: 50 }],
    heatmap: heat,
    causes: { handoff: 1, staffing: 0 },
  },
  breakdownSince: '2026-12',
  forHeads: false,
  ...over,
});

const LEDGER: AgreementView['ledger'] = {
  month: '2026-11',
  label: 'November 2026',
  prev: '2026-10',
  next: '2026-12',
  entries: [
    {
      type: 'penalty',
      agreementId: 'it-for-finance',
      agreementVersion: 1,
      month: '2026-11',
      request: 'IT-2',
      kind: 'response',
      amount: 50,
      unit: 'points',
      at: '2026-11-17T15:30:00.000Z',
    },
    {
      type: 'waiver',
      agreementId: 'it-for-finance',
      agreementVersion: 1,
      month: '2026-11',
      request: 'IT-2',
      kind: 'response',
      amount: -50,
      unit: 'points',
      at: '2026-11-18T10:00:00.000Z',
      by: 'U0FINHEAD',
      reason: '<b>power cut</b>',
    },
  ],
  totals: [{ unit: 'points', charged: 50, waived: 50, owed: 0 }],
};

it('escapes names in the text and in the charts’ JSON, so nothing can close a script element', () => {
  const html = agreementPage(view(), SCRIPTS);
  expect(html.match(/<script>/g)).toBeNull();
  expect(html).toContain('Laptops &lt;/script&gt;');
  expect(html).toContain('\\u003c/script>');
  const json = /<script type="application\/json" id="trend-spec">([^<]*)<\/script>/.exec(html)?.[1];
  expect(JSON.parse(json!).title.subtitle[0]).toContain('Laptops </script>');
});

it('says the terms in words, and gives each chart a table of the same figures', () => {
  const html = agreementPage(view({ service: 'Laptops' }), SCRIPTS);
  expect(html).toContain('IT promises Finance to answer and solve requests for <strong>Laptops</strong>');
  expect(html).toContain('<strong>P1</strong>: answer in 30m, solve in 4h');
  expect(html).toContain('A missed target costs 50 points per breach.');
  expect(html).toContain(
    '<th scope="row">2026-W47</th><td class="num">2</td><td class="num">1</td><td class="num">1</td><td class="num">50%</td>',
  );
  expect(html).toContain('<td>Tuesday</td><td>09:00</td><td class="num">1</td>');
  expect(html).toContain('<td>Handoff</td><td class="num">1</td>');
  expect(html).not.toContain('Staffing');
  expect(html).toContain('since December 2026');
  for (const id of ['trend', 'heat', 'causes']) expect(html).toContain(`data-chart="${id}-spec"`);
  expect(html).toContain('<script type="module" src="/c.js"></script>');
});

it('with nothing breached, says so instead of drawing empty charts', () => {
  const html = agreementPage(
    view({ report: { ...view().report, heatmap: heat.map((r) => r.map(() => 0)), causes: { handoff: 0 } } }),
    SCRIPTS,
  );
  expect(html).toContain('No breach to show here.');
  expect(html).toContain('No cause has been given for a breach yet.');
  expect(html).not.toContain('data-chart="heat-spec"');
});

it('a member sees no penalty, no ledger and no CSV link, and is told who does', () => {
  const html = agreementPage(view(), SCRIPTS);
  expect(html).not.toMatch(/ledger\.csv|points owed|Penalty ledger/);
  expect(html).toContain('Penalties and the ledger are shown to the heads of both departments and Kept admins.');
});

it('a head sees the month’s ledger with who waived and why, links to the months around it, and the CSV', () => {
  const html = agreementPage(view({ forHeads: true, ledger: LEDGER }), SCRIPTS);
  expect(html).toContain('Penalty ledger, November 2026');
  expect(html).toContain(
    '<span class="n">0 points</span> <span class="what">owed (50 points charged, 50 points waived)</span>',
  );
  expect(html).toContain('<td>U0FINHEAD</td><td>&lt;b&gt;power cut&lt;/b&gt;</td>');
  expect(html).toContain('href="/web/agreements/it-for-finance?month=2026-10#ledger-h"');
  expect(html).toContain('href="/web/agreements/it-for-finance?month=2026-12#ledger-h"');
  expect(html).toContain('href="/web/agreements/it-for-finance/ledger.csv?month=2026-11" download');
});

it('one page for an agreement that does not exist and one the reader may not see; a bad month is named', () => {
  expect(noSuchAgreementPage()).toContain('There is no agreement here that you can see');
  const bad = badMonthPage('it-for-finance', '<2026-13>');
  expect(bad).toContain('&lt;2026-13&gt;');
  expect(bad).toContain('<code>2026-11</code>');
});

it('without its scripts (a bundle that lacks them) the page keeps every table and loads nothing', () => {
  const html = agreementPage(view({ service: 'Laptops' }), undefined);
  expect(html).not.toMatch(/<script (defer|type="module")/);
  expect(html).toContain('<th scope="row">2026-W47</th>');
});
