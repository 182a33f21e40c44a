/**
 * The agreement page (docs/web.md), a pure function of what it shows: the terms in a sentence, the
 * last 12 weeks' compliance by week, breaches by weekday and hour and by cause, and for heads and
 * admins the month's ledger with a CSV download. Each chart is the Vega-Lite spec the Slack PNGs use
 * (domain/chart-specs.ts) embedded as JSON and drawn in the browser by /web/assets/charts.js; each
 * has a table beside it with the same figures, so the page reads fully without script.
 */

import { formatAmount } from '../domain/agreement-text';
import { causesSpec, heatmapSpec, trendSpec } from '../domain/chart-specs';
import { compareNames } from '../domain/name-order';
import type { AgreementView, LedgerView } from './agreement';
import { causeLabel } from './agreement';
import { esc, layout } from './pages';
import { requestPath } from './request-page';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hour = (h: number) => `${String(h).padStart(2, '0')}:00`;

export const agreementPath = (id: string) => `/web/agreements/${encodeURIComponent(id)}`;
export const ledgerCsvPath = (id: string, month: string) =>
  `${agreementPath(id)}/ledger.csv?month=${encodeURIComponent(month)}`;

/** The extra styles of this page: chart boxes and the month links. */
const STYLE = `<style>
section.part{background:#fff;border:1px solid #ddd;border-radius:10px;padding:16px 20px;margin:0 0 20px}
.chart{min-height:60px;overflow-x:auto}.chart svg{max-width:100%;height:auto}
nav.months{display:flex;gap:16px;margin:0 0 8px}details{margin:8px 0}summary{cursor:pointer}
summary:focus,a:focus{outline:3px solid #1264a3;outline-offset:2px}
#vg-tooltip-element{font:14px system-ui,sans-serif}
</style>`;

/** A spec as JSON inside `<script type="application/json">`: `<` written as `\u003c`, so nothing can close the element. */
export const jsonForScript = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(1).replace(/\.0$/, '')}%`);

function chart(id: string, label: string, spec: unknown): string {
  return `<div class="chart" id="${id}" data-chart="${id}-spec" role="img" aria-label="${esc(label)}"><p class="note">The chart is drawn in the browser; the table below has the same figures.</p></div>
<script type="application/json" id="${id}-spec">${jsonForScript(spec)}</script>`;
}

function termsSentence(v: AgreementView): string {
  const targets = v.terms.targets.map((t) => `<li><strong>${esc(t.priority)}</strong>: ${esc(t.text)}</li>`).join('');
  return `<p>${esc(v.providerName)} promises ${esc(v.customerName)} to answer and solve requests for <strong>${esc(v.service)}</strong> within these working times:</p>
<ul>${targets}</ul>
<p>A missed target costs ${esc(v.terms.penalty)}. ${esc(v.terms.atRisk.charAt(0).toUpperCase() + v.terms.atRisk.slice(1))}.</p>`;
}

function trendPart(v: AgreementView): string {
  const r = v.report;
  const rows = r.trend
    .map(
      (t) =>
        `<tr><th scope="row">${esc(t.week)}</th><td class="num">${esc(t.requests)}</td><td class="num">${esc(t.met)}</td><td class="num">${esc(t.breached)}</td><td class="num">${esc(pct(t.compliancePct))}</td></tr>`,
    )
    .join('');
  const spec = trendSpec(
    r.trend.map((t) => ({ week: t.week, compliancePct: t.compliancePct })),
    { subtitle: `${v.service}, the last ${v.weeks} weeks` },
  );
  return `<section class="part" aria-labelledby="trend-h"><h2 id="trend-h">Compliance by week</h2>
<ul class="figures"><li><span class="n">${esc(r.requests)}</span> <span class="what">requests</span></li><li><span class="n">${esc(pct(r.compliancePct))}</span> <span class="what">compliance</span></li><li><span class="n">${esc(r.breached)}</span> <span class="what">breached</span></li></ul>
<p class="note">Requests filed from ${esc(v.from)} to ${esc(v.to)}, by the week they were filed in. Compliance is the share of finished requests that met every target.${v.everyone ? ' This agreement serves every department: the figures are for all its customers together.' : ''}</p>
${chart('trend', `Weekly compliance of ${v.service} over the last ${v.weeks} weeks`, spec)}
<details><summary>Compliance by week as a table</summary><table><thead><tr><th scope="col">Week</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Met</th><th scope="col" class="num">Breached</th><th scope="col" class="num">Compliance</th></tr></thead><tbody>${rows}</tbody></table></details>
</section>`;
}

function heatPart(v: AgreementView): string {
  const cells: { day: number; hour: number; n: number }[] = [];
  v.report.heatmap.forEach((row, d) => {
    row.forEach((n, h) => {
      if (n > 0) cells.push({ day: d, hour: h, n });
    });
  });
  const since = `Breaches recorded since ${sinceLabel(v.breakdownSince)}, of requests filed in the last ${v.weeks} weeks, by the ${esc(v.providerName)} time the request was filed.`;
  const table =
    cells.length === 0
      ? '<p>No breach to show here.</p>'
      : `<table><thead><tr><th scope="col">Weekday</th><th scope="col">Hour filed</th><th scope="col" class="num">Breached</th></tr></thead><tbody>${cells
          .map((c) => `<tr><td>${WEEKDAYS[c.day]}</td><td>${hour(c.hour)}</td><td class="num">${esc(c.n)}</td></tr>`)
          .join('')}</tbody></table>`;
  return `<section class="part" aria-labelledby="heat-h"><h2 id="heat-h">Breaches by weekday and hour</h2>
<p class="note">${since}</p>
${cells.length === 0 ? '' : chart('heat', 'Breached requests by weekday and hour filed', heatmapSpec(v.report.heatmap, { subtitle: v.service }))}
${cells.length === 0 ? table : `<details><summary>Breaches by weekday and hour as a table</summary>${table}</details>`}
</section>`;
}

function causesPart(v: AgreementView): string {
  const rows = Object.entries(v.report.causes)
    .filter(([, n]) => n > 0)
    .map(([cause, count]) => ({ cause: causeLabel(cause), count }))
    .sort((a, b) => b.count - a.count || compareNames(a.cause, b.cause));
  const table =
    rows.length === 0
      ? '<p>No cause has been given for a breach yet. The provider gives one when it closes a breached request.</p>'
      : `<table><thead><tr><th scope="col">Cause</th><th scope="col" class="num">Breached</th></tr></thead><tbody>${rows
          .map((r) => `<tr><td>${esc(r.cause)}</td><td class="num">${esc(r.count)}</td></tr>`)
          .join('')}</tbody></table>`;
  return `<section class="part" aria-labelledby="cause-h"><h2 id="cause-h">Breaches by cause</h2>
<p class="note">Causes given since ${sinceLabel(v.breakdownSince)}, for requests filed in the last ${v.weeks} weeks.</p>
${rows.length === 0 ? '' : chart('causes', 'Breached requests by cause', causesSpec(rows, { subtitle: v.service }))}
${table}
</section>`;
}

const sinceLabel = (month: string) =>
  new Date(`${month}-01T12:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-11-17T15:00:00.000Z` as `2026-11-17 15:00 UTC`. */
const when = (iso: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;

function ledgerPart(v: AgreementView, l: LedgerView): string {
  const nav = `<nav class="months" aria-label="Months"><a href="${esc(agreementPath(v.id))}?month=${esc(l.prev)}#ledger-h">← ${esc(l.prev)}</a><a href="${esc(agreementPath(v.id))}?month=${esc(l.next)}#ledger-h">${esc(l.next)} →</a></nav>`;
  const totals =
    l.totals.length === 0
      ? '<p>Nothing was charged or waived this month.</p>'
      : `<ul class="figures">${l.totals
          .map(
            (t) =>
              `<li><span class="n">${esc(formatAmount(t.owed, t.unit))}</span> <span class="what">owed (${esc(formatAmount(t.charged, t.unit))} charged, ${esc(formatAmount(t.waived, t.unit))} waived${t.credited ? `, ${esc(formatAmount(t.credited, t.unit))} recovery credits` : ''})</span></li>`,
          )
          .join('')}</ul>`;
  const rows = l.entries
    .map(
      (e) =>
        `<tr><td>${esc(when(e.at))}</td><td><a href="${esc(requestPath(e.request))}">${esc(e.request)}</a></td><td>${esc(e.kind)}</td><td>${e.type === 'penalty' ? 'Penalty' : e.type === 'credit' ? 'Recovery credit' : 'Waiver'}</td><td class="num">${esc(formatAmount(e.amount, e.unit))}</td><td>${e.by ? esc(e.by) : ''}</td><td>${e.reason ? esc(e.reason) : ''}</td></tr>`,
    )
    .join('');
  const table =
    l.entries.length === 0
      ? ''
      : `<table><thead><tr><th scope="col">When</th><th scope="col">Request</th><th scope="col">Target</th><th scope="col">Type</th><th scope="col" class="num">Amount</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead><tbody>${rows}</tbody></table>`;
  return `<section class="part" aria-labelledby="ledger-h"><h2 id="ledger-h">Penalty ledger, ${esc(l.label)}</h2>
${nav}${totals}${table}
<p><a href="${esc(ledgerCsvPath(v.id, l.month))}" download>Download ${esc(l.label)} as CSV</a></p>
</section>`;
}

/** The page's scripts: Vega, Vega-Lite, vega-embed (classic, deferred) and ours (a module, run after them). */
export interface ChartScripts {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
  charts: string;
}

/** Without `scripts` (the browser builds could not be read) the page has its tables and no charts. */
export function agreementPage(v: AgreementView, scripts: ChartScripts | undefined): string {
  const head = !scripts
    ? STYLE
    : `${STYLE}<script defer src="${esc(scripts.vega)}"></script><script defer src="${esc(scripts.vegaLite)}"></script><script defer src="${esc(scripts.vegaEmbed)}"></script><script type="module" src="${esc(scripts.charts)}"></script>`;
  const ledger = v.ledger
    ? ledgerPart(v, v.ledger)
    : `<section class="part" aria-labelledby="ledger-h"><h2 id="ledger-h">Penalties</h2><p class="note">Penalties and the ledger are shown to the heads of ${v.everyone ? `${esc(v.providerName)}` : 'both departments'} and Kept admins.</p></section>`;
  return layout(
    v.service,
    `<p class="note"><a href="/web">My departments</a></p>
<h1>${esc(v.service)}</h1>
<p class="sub">${esc(v.providerName)} → ${esc(v.customerName)} · agreement <code>${esc(v.id)}</code></p>
${termsSentence(v)}
${trendPart(v)}
${heatPart(v)}
${causesPart(v)}
${ledger}`,
    true,
    head,
  );
}

/** The same page for an agreement that does not exist and for one the reader may not see. */
export function noSuchAgreementPage(): string {
  return layout(
    'Not found',
    `<h1>There is no agreement here that you can see</h1>
<p>Sorry: this agreement does not exist, or it is between departments you are not in. Agreements are shown to the people in either of their two departments.</p>
<p><a href="/web">Go to My departments</a>, where each of your departments' agreements has its link.</p>`,
    true,
  );
}

/** A `?month=` that is not a month: nothing is read. */
export function badMonthPage(id: string, month: string): string {
  const shown = month.length > 20 ? `${month.slice(0, 20)}…` : month;
  return layout(
    'Not a month',
    `<h1>That is not a month Kept knows</h1>
<p>Sorry: “${esc(shown)}” is not a month. Months are written like <code>2026-11</code>.</p>
<p><a href="${esc(agreementPath(id))}">See this month's figures</a></p>`,
    true,
  );
}

/** The ledger's CSV asked for by someone who sees the agreement but not its penalties. */
export function ledgerForHeadsPage(id: string): string {
  return layout(
    'For heads',
    `<h1>The ledger is for heads</h1>
<p>Sorry: penalties and the ledger are shown to the heads of the agreement's departments and Kept admins. The agreement's compliance is on <a href="${esc(agreementPath(id))}">its page</a>.</p>`,
    true,
  );
}
