/**
 * The other two views of the same day counters (stats.ts) as `buildReport`: the customer side
 * (`buildCustomerReport`: what a department receives, per provider and agreement) and the company
 * view (`buildCompanyReport`: every agreement, worst compliance first). Pure domain code: the
 * caller reads each provider's days.
 *
 * Requests, met and breached of an agreement with a named customer come from the provider's
 * per-agreement counters (complete history), so they equal the provider's report; a `*`
 * agreement's come from the customer's own counters (`cust|<customer>|…`). Penalties per agreement
 * come from the customer counters. Those were added in December 2026 and count from then.
 */
import { EVERY_DEPARTMENT } from './agreement';
import type { AgreementRecord } from './directory';
import { compareNames } from './name-order';
import { compliance, type PenaltyFigures } from './report';
import { periodLabel } from './report-period';
import { type Counters, sumCounters } from './stats';

/** When the customer counters began; figures that rely on them count from this month. */
export const CUSTOMER_COUNTERS_SINCE = '2026-12';

export interface SideRow {
  agreement: string;
  /** The agreement's service. */
  name: string;
  provider: string;
  providerName: string;
  /** The customer department's id, or `*`. */
  customer: string;
  customerName: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
  /** Owed in `penaltyUnit` (charged minus waived, minus recovery credits). */
  penaltyTotal: number;
  penaltyUnit: string | null;
  penalties: Record<string, PenaltyFigures>;
}

export interface CustomerReport {
  side: 'customer';
  department: string;
  departmentName: string;
  from: string;
  to: string;
  label: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
  /** Owed to the department in `penaltyUnit` (charged minus waived and credited), over every agreement. */
  penaltyTotal: number;
  penaltyUnit: string | null;
  penalties: Record<string, PenaltyFigures>;
  /** Per provider and agreement, by provider then service. */
  byAgreement: SideRow[];
  /** Since when the customer-side counters count (`YYYY-MM`). */
  countedSince: string;
  empty: boolean;
}

export interface CompanyReport {
  side: 'company';
  from: string;
  to: string;
  label: string;
  requests: number;
  met: number;
  breached: number;
  compliancePct: number | null;
  /** Every agreement, worst compliance first (those with nothing met or breached last). */
  byAgreement: SideRow[];
  countedSince: string;
  empty: boolean;
}

export interface ProviderDays {
  department: string;
  days: readonly { day: string; counters: Counters }[];
}

export interface SidesInput {
  from: string;
  to: string;
  label?: string;
  /** Every department's name by id. */
  names: Readonly<Record<string, string>>;
  agreements: readonly AgreementRecord[];
  /** The day counters of each provider the agreements name. */
  providers: readonly ProviderDays[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Counters under `prefix|`, without it, that are not 0. */
function under(c: Counters, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(c)) if (k.startsWith(prefix) && v !== 0) out.set(k.slice(prefix.length), v);
  return out;
}

/** Penalty figures by unit, the unit charged most first; recovery credits only when any were given. */
function penaltiesOf(charged: Map<string, number>, waived: Map<string, number>, credited = new Map<string, number>()) {
  const units = [...new Set([...charged.keys(), ...waived.keys()])].sort(
    (a, b) => (charged.get(b) ?? 0) - (charged.get(a) ?? 0) || compareNames(a, b),
  );
  const penalties: Record<string, PenaltyFigures> = {};
  for (const unit of units) {
    const c = round2(charged.get(unit) ?? 0);
    const w = round2(waived.get(unit) ?? 0);
    const cr = round2(credited.get(unit) ?? 0);
    penalties[unit] =
      cr > 0
        ? { charged: c, waived: w, credited: cr, owed: round2(c - w - cr) }
        : { charged: c, waived: w, owed: round2(c - w) };
  }
  const penaltyUnit = units[0] ?? null;
  return { penalties, penaltyUnit, penaltyTotal: penaltyUnit ? penalties[penaltyUnit]!.owed : 0 };
}

function sumPenalties(rows: readonly SideRow[]) {
  const charged = new Map<string, number>();
  const waived = new Map<string, number>();
  const credited = new Map<string, number>();
  for (const r of rows)
    for (const [unit, p] of Object.entries(r.penalties)) {
      charged.set(unit, (charged.get(unit) ?? 0) + p.charged);
      waived.set(unit, (waived.get(unit) ?? 0) + p.waived);
      credited.set(unit, (credited.get(unit) ?? 0) + (p.credited ?? 0));
    }
  return penaltiesOf(charged, waived, credited);
}

/** The counters of each provider over the period, summed. */
function totalsByProvider(input: SidesInput): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const p of input.providers)
    out.set(
      p.department,
      sumCounters(p.days.filter((d) => d.day >= input.from && d.day <= input.to).map((d) => d.counters)),
    );
  return out;
}

/**
 * One agreement's row as `customer` sees it (`customer` undefined: every customer together, as the
 * company view shows it). Also read week by week by loyalty.ts.
 */
export function rowOf(
  a: AgreementRecord,
  c: Counters,
  names: SidesInput['names'],
  customer?: string,
): SideRow | undefined {
  const terms = a.active ?? a.pending;
  if (!terms) return undefined;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const count = (kind: 'filed' | 'met' | 'breached') => {
    if (customer === undefined || terms.customer !== EVERY_DEPARTMENT) return sum(under(c, `${kind}|${a.id}|`));
    return c[`cust|${customer}|${kind}|${a.id}`] ?? 0;
  };
  const penalties = (kind: 'penalty' | 'waived' | 'credit') => {
    const m = new Map<string, number>();
    for (const [rest, v] of under(c, 'cust|')) {
      const [who, k, agreement, ...unit] = rest.split('|');
      if (k !== kind || agreement !== a.id || (customer !== undefined && who !== customer)) continue;
      const u = unit.join('|');
      m.set(u, (m.get(u) ?? 0) + v);
    }
    return m;
  };
  const met = count('met');
  const breached = count('breached');
  return {
    agreement: a.id,
    name: terms.service,
    provider: terms.provider,
    providerName: names[terms.provider] ?? terms.provider,
    customer: terms.customer,
    customerName: terms.customer === EVERY_DEPARTMENT ? 'every department' : (names[terms.customer] ?? terms.customer),
    requests: count('filed'),
    met,
    breached,
    compliancePct: compliance(met, breached),
    ...penaltiesOf(penalties('penalty'), penalties('waived'), penalties('credit')),
  };
}

const totals = (rows: readonly SideRow[]) => {
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  const met = rows.reduce((n, r) => n + r.met, 0);
  const breached = rows.reduce((n, r) => n + r.breached, 0);
  return { requests, met, breached, compliancePct: compliance(met, breached) };
};

/** What `customer` receives: every agreement that covers it (named or `*`), per provider and agreement. */
export function buildCustomerReport(input: SidesInput, customer: string): CustomerReport {
  const byProvider = totalsByProvider(input);
  const rows = input.agreements
    .filter((a) => {
      const terms = a.active ?? a.pending;
      return (
        terms !== undefined &&
        terms.provider !== customer &&
        (terms.customer === customer || terms.customer === EVERY_DEPARTMENT)
      );
    })
    .map((a) => rowOf(a, byProvider.get((a.active ?? a.pending)!.provider) ?? {}, input.names, customer))
    .filter((r): r is SideRow => r !== undefined)
    .sort((a, b) => compareNames(a.providerName, b.providerName) || compareNames(a.name, b.name));
  const t = totals(rows);
  return {
    side: 'customer',
    department: customer,
    departmentName: input.names[customer] ?? customer,
    from: input.from,
    to: input.to,
    label: input.label ?? periodLabel(input.from, input.to),
    ...t,
    ...sumPenalties(rows),
    byAgreement: rows,
    countedSince: CUSTOMER_COUNTERS_SINCE,
    empty: t.requests === 0,
  };
}

/** Worst compliance first; agreements with nothing met or breached last; then most breached, then by name. */
const worstFirst = (a: SideRow, b: SideRow) =>
  (a.compliancePct ?? 101) - (b.compliancePct ?? 101) ||
  b.breached - a.breached ||
  compareNames(a.providerName, b.providerName) ||
  compareNames(a.name, b.name);

/** Every agreement in one table, worst compliance first. */
export function buildCompanyReport(input: SidesInput): CompanyReport {
  const byProvider = totalsByProvider(input);
  const rows = input.agreements
    .map((a) => {
      const terms = a.active ?? a.pending;
      return terms ? rowOf(a, byProvider.get(terms.provider) ?? {}, input.names) : undefined;
    })
    .filter((r): r is SideRow => r !== undefined)
    .sort(worstFirst);
  const t = totals(rows);
  return {
    side: 'company',
    from: input.from,
    to: input.to,
    label: input.label ?? periodLabel(input.from, input.to),
    ...t,
    byAgreement: rows,
    countedSince: CUSTOMER_COUNTERS_SINCE,
    empty: t.requests === 0,
  };
}
