/**
 * The company page (`GET /web/company`) for Kept admins: every agreement in one table, worst
 * compliance first, with the figures of `kept report --company` and `/sla report company` (the same
 * read, store/stats.ts readCompanyReport, and the same code, domain/report-sides.ts
 * buildCompanyReport). Anyone else gets the not-found page, as a page that is not theirs.
 */
import { departmentsOf } from '../domain/directory';
import { PERIOD_FORMS, resolvePeriod } from '../domain/report-period';
import type { CompanyReport } from '../domain/report-sides';
import type { Result } from '../domain/result';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { readCompanyReport } from '../store/stats';
import { esc, layout } from './pages';

export const COMPANY_PATH = '/web/company';

/**
 * The company report for `period` (default this month) in the admin's department's time zone, or
 * the first department's, as `/sla report company` reads it. An unknown period is an error to show.
 */
export async function readCompanyPage(
  db: Db,
  user: string,
  period: string | undefined,
  now: Date,
): Promise<Result<CompanyReport>> {
  const dir = await readDirectory(db);
  const zone = (departmentsOf(dir, user)[0] ?? dir.departments[0])?.calendar.timezone ?? 'UTC';
  const resolved = resolvePeriod(period, now.getTime(), zone);
  if (!resolved.ok) return resolved;
  return { ok: true, value: await readCompanyReport(db, dir, resolved.value) };
}

const pct = (p: number | null) =>
  p === null ? '<span title="No request has finished yet">—</span>' : esc(`${p.toFixed(1).replace(/\.0$/, '')}%`);

const PERIODS = [
  ['this-month', 'This month'],
  ['last-month', 'Last month'],
  ['quarter', 'This quarter'],
] as const;

function periodLinks(): string {
  return `<nav aria-label="Period"><p class="note">${PERIODS.map(([w, label]) => `<a href="${COMPANY_PATH}?period=${w}">${label}</a>`).join(' · ')}</p></nav>`;
}

/** The company page. */
export function companyPage(r: CompanyReport): string {
  const rows = r.byAgreement
    .map(
      (a) =>
        `<tr><td>${esc(a.name)} <span class="note">(${esc(a.agreement)})</span></td><td>${esc(a.providerName)}</td><td>${esc(a.customerName)}</td><td class="num">${esc(a.requests)}</td><td class="num">${pct(a.compliancePct)}</td><td class="num">${esc(a.breached)}</td><td class="num">${a.penaltyUnit ? esc(`${a.penaltyTotal} ${a.penaltyUnit}`) : esc(a.penaltyTotal)}</td></tr>`,
    )
    .join('');
  const table =
    r.byAgreement.length === 0
      ? '<p>There are no agreements in Kept yet.</p>'
      : `<table><caption class="note">Every agreement, worst compliance first</caption><thead><tr><th scope="col">Agreement</th><th scope="col">Provider</th><th scope="col">Customer</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Compliance</th><th scope="col" class="num">Breached</th><th scope="col" class="num">Penalties owed</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout(
    'Company',
    `<h1>The company · ${esc(r.label)}</h1>
${periodLinks()}
<ul class="figures"><li><span class="n">${esc(r.requests)}</span> <span class="what">requests</span></li><li><span class="n">${pct(r.compliancePct)}</span> <span class="what">compliance</span></li><li><span class="n">${esc(r.breached)}</span> <span class="what">breached</span></li></ul>
${table}
<p class="note">The figures of <code>/sla report company</code>: requests counted by the day each was filed; compliance is the share of finished requests that met every target. Penalties per agreement count from ${esc(r.countedSince)}.</p>`,
    true,
  );
}

/** A period the page does not know: what it takes. */
export function badPeriodPage(error: string): string {
  return layout(
    'Company',
    `<h1>The company</h1><p>${esc(error)} The period can be ${esc(PERIOD_FORMS)}.</p>${periodLinks()}`,
    true,
  );
}
