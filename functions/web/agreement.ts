/**
 * What the agreement page shows, and who may see it (docs/web.md): the directory, then one query of
 * the provider's day counters for the last 12 weeks (store/stats.ts readDays) narrowed to the
 * agreement (domain/agreement-report.ts), and for heads and admins the month's ledger
 * (store/ledger.ts readLedger). The same rights as in Slack: the members and heads of either side
 * and the Kept admins see it; penalties and the ledger only heads and admins. Anyone else gets
 * `null`, the same as for an agreement that does not exist.
 */
import { EVERY_DEPARTMENT } from '../domain/agreement';
import { AGREEMENT_WEEKS, agreementSpan, buildAgreementReport, monthNeighbours } from '../domain/agreement-report';
import { customerLabel, describeAtRisk, describePenalty, describeTarget } from '../domain/agreement-text';
import { type Department, isHead, isMember } from '../domain/department';
import { type Directory, findAgreement, findDepartment } from '../domain/directory';
import type { Report } from '../domain/report';
import { localToday } from '../domain/report-period';
import { CAUSE_LABEL, type CauseCategory } from '../domain/request';
import { AGREEMENT_COUNTERS_SINCE } from '../domain/stats';
import { monthOf } from '../domain/weeks';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { type LedgerEntry, readLedger } from '../store/ledger';
import { readDays } from '../store/stats';

export interface LedgerView {
  /** `YYYY-MM`. */
  month: string;
  /** "November 2026". */
  label: string;
  prev: string;
  next: string;
  entries: LedgerEntry[];
  /** Per unit: charged, waived (positive) and owed. */
  /** `credited`: recovery credits, only when the month has some. */
  totals: { unit: string; charged: number; waived: number; credited?: number; owed: number }[];
}

export interface AgreementView {
  id: string;
  service: string;
  providerName: string;
  /** A department's name, or `every department`. */
  customerName: string;
  /** The agreement covers every department: its figures are for all its customers together. */
  everyone: boolean;
  /** The terms as sentences: targets by priority, penalty, at risk. */
  terms: { targets: { priority: string; text: string }[]; penalty: string; atRisk: string };
  /** "24 August – 24 November 2026", the local dates the trend and the breakdowns cover. */
  from: string;
  to: string;
  weeks: number;
  report: Pick<Report, 'requests' | 'met' | 'breached' | 'compliancePct' | 'trend' | 'heatmap' | 'causes'>;
  /** When the per-agreement breakdowns (weekday and hour, cause) began counting. */
  breakdownSince: string;
  /** Only for heads of either side and Kept admins. */
  ledger?: LedgerView;
  /** Whether the reader is a head of either side or an admin (why `ledger` is there or not). */
  forHeads: boolean;
}

export type AgreementRead =
  | { ok: true; view: AgreementView }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'bad-month'; month: string };

/** Whether `user` may see the agreement, and whether they see its penalties: Slack's rules. */
export function agreementRights(
  terms: { provider: string; customer: string },
  dir: Directory,
  user: string,
  admins: readonly string[],
): { see: boolean; penalties: boolean } {
  if (admins.includes(user)) return { see: true, penalties: true };
  const provider = findDepartment(dir, terms.provider);
  // A `*` agreement serves every department: each is a customer, but none of their heads sees what
  // the others were owed, so its ledger stays with the provider's heads (and the admins).
  const customers: Department[] =
    terms.customer === EVERY_DEPARTMENT
      ? dir.departments.filter((d) => d.id !== terms.provider)
      : [findDepartment(dir, terms.customer)].filter((d): d is Department => d !== undefined);
  const see = (provider !== undefined && isMember(provider, user)) || customers.some((d) => isMember(d, user));
  const penalties =
    (provider !== undefined && isHead(provider, user)) ||
    (terms.customer !== EVERY_DEPARTMENT && customers.some((d) => isHead(d, user)));
  return { see, penalties };
}

const monthLabel = (month: string) =>
  new Date(`${month}-01T12:00:00Z`).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Per unit: what was charged, waived and is owed in the month's entries. */
export function ledgerTotals(entries: readonly LedgerEntry[]): LedgerView['totals'] {
  const by = new Map<string, { charged: number; waived: number; credited: number }>();
  for (const e of entries) {
    const t = by.get(e.unit) ?? { charged: 0, waived: 0, credited: 0 };
    if (e.type === 'penalty') t.charged += e.amount;
    else if (e.type === 'credit') t.credited += -e.amount;
    else t.waived += -e.amount;
    by.set(e.unit, t);
  }
  const r = (n: number) => Math.round(n * 100) / 100;
  return [...by].map(([unit, t]) => ({
    unit,
    charged: r(t.charged),
    waived: r(t.waived),
    ...(t.credited > 0 ? { credited: r(t.credited) } : {}),
    owed: r(t.charged - t.waived - t.credited),
  }));
}

/**
 * The agreement page's view for `user`, or why there is none. `month` (`YYYY-MM`, default this
 * month in the provider's time zone) picks the ledger's month.
 */
export async function readAgreement(
  db: Db,
  input: { id: string; user: string; admins: readonly string[]; month: string | undefined; now: Date },
): Promise<AgreementRead> {
  const dir = await readDirectory(db);
  const terms = findAgreement(dir, input.id)?.active;
  const provider = terms && findDepartment(dir, terms.provider);
  if (!terms || !provider) return { ok: false, reason: 'not-found' };
  const rights = agreementRights(terms, dir, input.user, input.admins);
  if (!rights.see) return { ok: false, reason: 'not-found' };

  const zone = provider.calendar.timezone;
  const month = input.month ?? monthOf(input.now.getTime(), zone);
  const around = monthNeighbours(month);
  if (!around) return { ok: false, reason: 'bad-month', month };

  const { from, to } = agreementSpan(localToday(input.now.getTime(), zone));
  const [days, entries] = await Promise.all([
    readDays(db, provider.id, from, to),
    rights.penalties ? readLedger(db, terms.id, month) : Promise.resolve(undefined),
  ]);
  const report = buildAgreementReport({
    agreement: terms.id,
    service: terms.service,
    provider: { id: provider.id, name: provider.name },
    from,
    to,
    days: days.days,
  });
  const names = (id: string) => findDepartment(dir, id)?.name ?? id;
  return {
    ok: true,
    view: {
      id: terms.id,
      service: terms.service,
      providerName: provider.name,
      customerName: customerLabel(terms.customer, names),
      everyone: terms.customer === EVERY_DEPARTMENT,
      terms: {
        targets: Object.entries(terms.targets).map(([priority, t]) => ({ priority, text: describeTarget(t) })),
        penalty: describePenalty(terms.penalty),
        atRisk: describeAtRisk(terms.atRisk),
      },
      from,
      to,
      weeks: AGREEMENT_WEEKS,
      report: {
        requests: report.requests,
        met: report.met,
        breached: report.breached,
        compliancePct: report.compliancePct,
        trend: report.trend,
        heatmap: report.heatmap,
        causes: report.causes,
      },
      breakdownSince: AGREEMENT_COUNTERS_SINCE,
      forHeads: rights.penalties,
      ...(entries
        ? {
            ledger: {
              month,
              label: monthLabel(month),
              prev: around.prev,
              next: around.next,
              entries,
              totals: ledgerTotals(entries),
            },
          }
        : {}),
    },
  };
}

/** A cause category as people read it (`unclear_request` → `Unclear request`). */
export const causeLabel = (category: string): string => CAUSE_LABEL[category as CauseCategory] ?? category;
