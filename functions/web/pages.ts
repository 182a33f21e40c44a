/**
 * The dashboard's pages, each a pure function of what it shows: semantic HTML, a little inline
 * CSS, no script. Everything from the table or the person is escaped.
 */
import type { Loyalty } from '../domain/loyalty';
import type { AgreementFigures, DashboardView, DepartmentView, ReceivedFigures } from './dashboard';

export const esc = (text: string | number): string =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1c1d;background:#f7f7f8}
header{background:#3f0e40;color:#fff;padding:10px 24px;display:flex;justify-content:space-between;align-items:center}
header a,header button{color:#fff}header .brand{font-weight:700;text-decoration:none;font-size:18px}
header form{margin:0}header button{background:none;border:1px solid #fff8;border-radius:6px;padding:3px 10px;font:inherit;cursor:pointer}
main{max-width:960px;margin:0 auto;padding:20px 24px}h1{font-size:24px;margin:0 0 16px}h2{font-size:20px;margin:0 0 4px}
h3{font-size:16px;margin:16px 0 6px}section.dept{background:#fff;border:1px solid #ddd;border-radius:10px;padding:16px 20px;margin:0 0 20px}
.sub{color:#555;margin:0 0 12px}.figures{display:flex;flex-wrap:wrap;gap:12px;margin:0;padding:0;list-style:none}
.figures li{border:1px solid #e3e3e3;border-radius:8px;padding:8px 14px;min-width:120px}
.figures .n{display:block;font-size:22px;font-weight:700}.figures .what{color:#555;font-size:14px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eee}
th{font-weight:600;background:#fafafa}caption{text-align:left}td.num,th.num{text-align:right}.note{color:#555;font-size:14px}
code{background:#f0f0f0;padding:1px 4px;border-radius:4px}a:focus,button:focus{outline:3px solid #1264a3;outline-offset:2px}
`;

const HOW_TO_SIGN_IN =
  '<p>Type <code>/sla web</code> in Slack, anywhere Kept is. Kept answers only you with a personal link that signs you in; it works once, for 5 minutes.</p>';

/** A page: `head` adds to the document's head (the chart pages' scripts). */
export function layout(title: string, body: string, signedIn = false, head = ''): string {
  const signOut = signedIn
    ? '<form method="post" action="/web/signout"><button type="submit">Sign out</button></form>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Kept</title><style>${STYLE}</style>${head}</head>
<body><header><a class="brand" href="/web">Kept</a>${signOut}</header>
<main>${body}</main></body></html>`;
}

/** No session: how to get one. */
export function signInPage(): string {
  return layout(
    'Sign in',
    `<h1>Sign in to Kept</h1>${HOW_TO_SIGN_IN}<p>Slack has already checked who you are, so there is no password here.</p>`,
  );
}

/** A link that is unknown, used or expired: nobody is signed in. */
export function linkNotValidPage(): string {
  return layout(
    'Link no longer works',
    `<h1>This sign-in link no longer works</h1>
<p>Sorry: each link works once, and for 5 minutes, so that nobody else can use it later. This one has been used already or its time is up.</p>
<h2>Get a new one</h2>${HOW_TO_SIGN_IN}`,
  );
}

/** For Kept admins: where every agreement is. */
const companyLink = (admin: boolean | undefined) =>
  admin ? '<p><a href="/web/company">The company: every agreement, worst first</a> (for Kept admins)</p>' : '';

/** Signed in, but in no department. */
export function noDepartmentsPage(admin?: boolean): string {
  return layout(
    'My departments',
    `<h1>My departments</h1>${companyLink(admin)}
<p>You are not in any department in Kept yet, so there is nothing to show here.</p>
<p>If you work in one, ask its head or a Kept admin to add you (<code>/sla dept</code> in Slack lists the departments and their heads). You can still file requests to other departments with <code>/sla new</code>.</p>`,
    true,
  );
}

export function notFoundPage(): string {
  return layout(
    'Not found',
    '<h1>Nothing here</h1><p>This page does not exist. <a href="/web">Go to My departments</a>.</p>',
  );
}

const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(1).replace(/\.0$/, '')}%`);
const pctCell = (p: number | null) => (p === null ? '<span title="No request has finished yet">—</span>' : esc(pct(p)));

function figure(n: string | number, what: string): string {
  return `<li><span class="n">${esc(n)}</span> <span class="what">${esc(what)}</span></li>`;
}

/** The agreement's own page (web/agreement-page.ts): its trend, breakdowns and ledger. */
const agreementLink = (r: Pick<AgreementFigures, 'agreement' | 'service'>) =>
  `<a href="/web/agreements/${encodeURIComponent(r.agreement)}">${esc(r.service)}</a>`;

function agreementTable(rows: readonly AgreementFigures[], caption: string): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${agreementLink(r)} <span class="note">(${esc(r.agreement)})</span></td><td class="num">${esc(r.requests)}</td><td class="num">${pctCell(r.compliancePct)}</td><td class="num">${esc(r.breached)}</td></tr>`,
    )
    .join('');
  return `<table><caption class="note">${esc(caption)}</caption><thead><tr><th scope="col">Agreement</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Compliance</th><th scope="col" class="num">Breached</th></tr></thead><tbody>${body}</tbody></table>`;
}

function receivedTable(rows: readonly ReceivedFigures[]): string {
  if (rows.length === 0) return '<p class="note">No other department has an agreement to serve this one.</p>';
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.providerName)}</td><td>${agreementLink(r)}${r.everyone ? ' <span class="note">(for every department: figures are for all its customers)</span>' : ''}</td><td class="num">${esc(r.requests)}</td><td class="num">${pctCell(r.compliancePct)}</td><td class="num">${esc(r.breached)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">From</th><th scope="col">Service</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Compliance</th><th scope="col" class="num">Breached</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** Each customer metric week by week beside the compliance received, with r and what it can say. */
function loyaltySection(l: Loyalty, name: string): string {
  return `<h3>Customer loyalty</h3>
<p class="note">What ${esc(name)} receives, ${esc(l.fromWeek)} to ${esc(l.toWeek)}, beside its customers' weekly figures.</p>
${l.metrics
  .map((m) => {
    const body = m.weeks
      .filter((w) => w.value !== null || w.compliancePct !== null)
      .map(
        (w) =>
          `<tr><td>${esc(w.week)}</td><td class="num">${pctCell(w.compliancePct)}</td><td class="num">${esc(w.value ?? '—')}</td></tr>`,
      )
      .join('');
    const r = m.correlation === undefined ? 'no correlation' : `r = ${m.correlation.toFixed(2)}`;
    return `<table><caption class="note">${esc(m.metric)}: ${esc(r)} over ${esc(m.n)} week${m.n === 1 ? '' : 's'} with both</caption><thead><tr><th scope="col">Week</th><th scope="col" class="num">Compliance received</th><th scope="col" class="num">${esc(m.metric)}</th></tr></thead><tbody>${body}</tbody></table>
<p class="note">${esc(m.note)}</p>`;
  })
  .join('\n')}`;
}

function departmentSection(d: DepartmentView): string {
  const p = d.provided;
  const penalty = p.penalty
    ? figure(p.penalty.total === 0 || !p.penalty.unit ? '0' : `${p.penalty.total} ${p.penalty.unit}`, 'penalties owed')
    : '';
  const headsNote = p.penalty
    ? ''
    : '<p class="note">Penalties are shown to the department\'s heads and Kept admins.</p>';
  const id = `dept-${d.id}`;
  return `<section class="dept" aria-labelledby="${esc(id)}">
<h2 id="${esc(id)}">${esc(d.name)}</h2>
<p class="sub">You are ${d.role === 'head' ? 'a head' : 'a member'} of this department · ${esc(d.period)}</p>
<h3>What ${esc(d.name)} provides</h3>
<ul class="figures">${figure(p.requests, 'requests')}${figure(pct(p.compliancePct), 'compliance')}${figure(p.breached, 'breached')}${figure(p.open, 'still open')}${penalty}</ul>
${headsNote}${agreementTable(p.byAgreement, 'By agreement')}
<h3>What ${esc(d.name)} receives</h3>
${receivedTable(d.received)}
${d.loyalty ? loyaltySection(d.loyalty, d.name) : ''}</section>`;
}

/** "My departments": both sides of each of the person's departments, this month. */
export function dashboardPage(view: DashboardView): string {
  if (view.departments.length === 0) return noDepartmentsPage(view.admin);
  return layout(
    'My departments',
    `<h1>My departments</h1>${companyLink(view.admin)}
<p class="note">Compliance is the share of finished requests that met every target, counted by the month each request was filed in.</p>
${view.departments.map(departmentSection).join('\n')}`,
    true,
  );
}
