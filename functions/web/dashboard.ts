/**
 * What "My departments" shows, read the way `/sla report` reads it: the directory, then each
 * department's day counters for this month (store/stats.ts readDays through readReport), and for
 * the customer side the counters of each department that provides to it (one query per provider).
 * Penalties only for the department's heads and Kept admins, as in Slack.
 */
import { covers, EVERY_DEPARTMENT } from '../domain/agreement';
import { type Department, isHead } from '../domain/department';
import { departmentsOf, findDepartment } from '../domain/directory';
import type { Loyalty } from '../domain/loyalty';
import { resolvePeriod } from '../domain/report-period';
import type { Db } from '../store/client';
import { readDirectory } from '../store/directory';
import { readLoyalty } from '../store/metrics';
import { readReport } from '../store/stats';

export interface AgreementFigures {
  agreement: string;
  service: string;
  requests: number;
  breached: number;
  compliancePct: number | null;
}

export interface ReceivedFigures extends AgreementFigures {
  providerName: string;
  /** The agreement covers every department: its figures are for all its customers together. */
  everyone: boolean;
}

export interface DepartmentView {
  id: string;
  name: string;
  role: 'head' | 'member';
  /** "November 2026": this month in the department's time zone. */
  period: string;
  provided: {
    requests: number;
    met: number;
    breached: number;
    open: number;
    compliancePct: number | null;
    byAgreement: AgreementFigures[];
    /** Only for heads and Kept admins. */
    penalty?: { total: number; unit: string | null };
  };
  received: ReceivedFigures[];
  /** A front-line department's customer figures beside what it receives (heads and Kept admins). */
  loyalty?: Loyalty;
}

export interface DashboardView {
  user: string;
  /** A Kept admin: the page links to the company view. */
  admin?: boolean;
  departments: DepartmentView[];
}

const sumByAgreement = (
  rows: { agreement: string; name: string; requests: number; met: number; breached: number }[],
) => {
  const out = new Map<string, AgreementFigures & { met: number }>();
  for (const r of rows) {
    const seen = out.get(r.agreement) ?? {
      agreement: r.agreement,
      service: r.name,
      requests: 0,
      met: 0,
      breached: 0,
      compliancePct: null,
    };
    seen.requests += r.requests;
    seen.met += r.met;
    seen.breached += r.breached;
    out.set(r.agreement, seen);
  }
  return [...out.values()].map(({ met, ...row }) => ({
    ...row,
    compliancePct: met + row.breached === 0 ? null : Math.round((met / (met + row.breached)) * 1000) / 10,
  }));
};

export async function readDashboard(
  db: Db,
  user: string,
  admins: readonly string[],
  now: Date,
): Promise<DashboardView> {
  const dir = await readDirectory(db);
  const mine = departmentsOf(dir, user);
  // Each provider's report is read once, however many of the person's departments it serves.
  const reports = new Map<string, ReturnType<typeof readReport>>();
  const reportOf = (d: Department) => {
    let r = reports.get(d.id);
    if (!r) {
      const period = resolvePeriod('this-month', now.getTime(), d.calendar.timezone);
      if (!period.ok) throw new Error(period.error);
      r = readReport(db, dir, d, period.value, 0);
      reports.set(d.id, r);
    }
    return r;
  };
  const departments = await Promise.all(
    mine.map(async (d): Promise<DepartmentView> => {
      const report = await reportOf(d);
      const seesPenalties = isHead(d, user) || admins.includes(user);
      const received: ReceivedFigures[] = [];
      for (const a of dir.agreements) {
        const terms = a.active;
        if (!terms || terms.provider === d.id || !covers(terms, d.id)) continue;
        const provider = findDepartment(dir, terms.provider);
        if (!provider) continue;
        const rows = (await reportOf(provider)).byAgreement.filter((r) => r.agreement === a.id);
        const [row] = sumByAgreement(rows);
        received.push({
          agreement: a.id,
          service: terms.service,
          providerName: provider.name,
          everyone: terms.customer === EVERY_DEPARTMENT,
          requests: row?.requests ?? 0,
          breached: row?.breached ?? 0,
          compliancePct: row?.compliancePct ?? null,
        });
      }
      const today = resolvePeriod('this-month', now.getTime(), d.calendar.timezone);
      const loyalty = seesPenalties && today.ok ? await readLoyalty(db, dir, d, today.value.to) : undefined;
      return {
        id: d.id,
        name: d.name,
        role: isHead(d, user) ? 'head' : 'member',
        period: report.label,
        provided: {
          requests: report.requests,
          met: report.met,
          breached: report.breached,
          open: report.open,
          compliancePct: report.compliancePct,
          byAgreement: sumByAgreement(report.byAgreement),
          ...(seesPenalties ? { penalty: { total: report.penaltyTotal, unit: report.penaltyUnit } } : {}),
        },
        received,
        ...(loyalty ? { loyalty } : {}),
      };
    }),
  );
  return { user, departments, ...(admins.includes(user) ? { admin: true } : {}) };
}
