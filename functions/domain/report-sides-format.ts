/**
 * The customer side and the company view (report-sides.ts) outside Slack: a terminal table and
 * CSV, like report-format.ts does for the provider's report.
 */
import { type Cell, csvRow, oneLine, pctText, table } from './report-format';
import type { CompanyReport, CustomerReport, SideRow } from './report-sides';

/** `50 points`, several units joined; `–` when nothing is owed. */
const owedText = (row: Pick<SideRow, 'penalties'>): string => {
  const owed = Object.entries(row.penalties).filter(([, p]) => p.owed !== 0);
  return owed.length === 0 ? '–' : owed.map(([u, p]) => `${p.owed} ${u}`).join(', ');
};

/** The note under every customer-side or company table: what counts from when. */
export const countedSinceNote = (since: string, everyDepartment: boolean): string =>
  `Penalties per agreement${everyDepartment ? " and a department's share of an agreement with every department" : ''} count requests from ${since} on.`;

export function customerTable(r: CustomerReport, { forHeads = true }: { forHeads?: boolean } = {}): string {
  const out = [`${oneLine(r.departmentName)} (${r.department}) as a customer, ${r.from} to ${r.to}`];
  if (r.byAgreement.length === 0) {
    out.push(`No other department has an agreement to serve ${oneLine(r.departmentName)} yet.`);
    return out.join('\n');
  }
  out.push(
    `Compliance ${pctText(r.compliancePct)}: ${r.requests} filed, ${r.met} met, ${r.breached} breached` +
      (forHeads ? `; owed to ${oneLine(r.departmentName)}: ${owedText(r)}` : ''),
    '',
    ...table(
      ['provider', 'service', 'requests', 'met', 'breached', 'compliance', ...(forHeads ? ['owed to you'] : [])],
      r.byAgreement.map((a): Cell[] => [
        oneLine(a.providerName),
        oneLine(a.name) + (a.customer === '*' ? ' (every department)' : ''),
        a.requests,
        a.met,
        a.breached,
        pctText(a.compliancePct),
        ...(forHeads ? [owedText(a)] : []),
      ]),
    ),
    '',
    countedSinceNote(r.countedSince, true),
  );
  return out.join('\n');
}

export function customerCsv(r: CustomerReport): string {
  const head = [
    'provider',
    'agreement',
    'service',
    'customer',
    'requests',
    'met',
    'breached',
    'compliance_pct',
    'penalty_total',
    'penalty_unit',
  ];
  return csvLines(head, r.byAgreement);
}

export function companyTable(r: CompanyReport): string {
  const out = [`Every agreement, worst compliance first, ${r.from} to ${r.to}`];
  if (r.byAgreement.length === 0) {
    out.push('There are no agreements in Kept yet.');
    return out.join('\n');
  }
  out.push(
    `Compliance ${pctText(r.compliancePct)}: ${r.requests} filed, ${r.met} met, ${r.breached} breached`,
    '',
    ...table(
      ['provider', 'service', 'for', 'requests', 'met', 'breached', 'compliance', 'owed'],
      r.byAgreement.map((a): Cell[] => [
        oneLine(a.providerName),
        oneLine(a.name),
        oneLine(a.customerName),
        a.requests,
        a.met,
        a.breached,
        pctText(a.compliancePct),
        owedText(a),
      ]),
    ),
    '',
    countedSinceNote(r.countedSince, false),
  );
  return out.join('\n');
}

export function companyCsv(r: CompanyReport): string {
  return csvLines(
    [
      'provider',
      'agreement',
      'service',
      'customer',
      'requests',
      'met',
      'breached',
      'compliance_pct',
      'penalty_total',
      'penalty_unit',
    ],
    r.byAgreement,
  );
}

function csvLines(head: readonly string[], rows: readonly SideRow[]): string {
  return [
    csvRow(head),
    ...rows.map((a) =>
      csvRow([
        a.provider,
        a.agreement,
        a.name,
        a.customer,
        a.requests,
        a.met,
        a.breached,
        a.compliancePct,
        a.penaltyTotal,
        a.penaltyUnit,
      ]),
    ),
  ].join('\r\n');
}
