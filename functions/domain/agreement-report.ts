/**
 * One agreement's figures from its provider's day counters (stats.ts): the days narrowed to the
 * agreement's own counters (`filed|<agreement>|<priority>`, `met|…`, `breached|…`, and the
 * per-agreement `aheat|<agreement>|…` and `acause|<agreement>|…`), renamed to the department-wide
 * names `buildReport` reads, so the agreement's trend, heatmap and causes are worked out by the same
 * code as `/sla report`. The web's agreement page reads them (web/agreement.ts). Pure domain code.
 */
import { DateTime } from 'luxon';
import { buildReport, type Report } from './report';
import type { Counters } from './stats';

/** Weeks the agreement page's trend spans: this week and the 11 before it. */
export const AGREEMENT_WEEKS = 12;

/** One day's counters of `agreement` only, under the names `buildReport` reads (`filed`, `met`, `breached`, `heat|…`, `cause|…`). */
export function agreementCounters(c: Counters, agreement: string): Counters {
  const out: Counters = {};
  const add = (key: string, n: number) => {
    if (n !== 0) out[key] = Math.round(((out[key] ?? 0) + n) * 100) / 100;
  };
  for (const [key, n] of Object.entries(c)) {
    const [kind, id, ...rest] = key.split('|');
    if (id !== agreement || rest.length === 0) continue;
    if (kind === 'filed' || kind === 'met' || kind === 'breached') {
      add(kind, n);
      add(`${kind}|${id}|${rest.join('|')}`, n);
    } else if (kind === 'aheat') add(`heat|${rest.join('|')}`, n);
    else if (kind === 'acause') add(`cause|${rest.join('|')}`, n);
  }
  return out;
}

/** The local dates of the AGREEMENT_WEEKS ISO weeks up to `today` (`YYYY-MM-DD`): Monday 11 weeks back to today. */
export function agreementSpan(today: string): { from: string; to: string } {
  const day = DateTime.fromISO(today, { zone: 'UTC' });
  return {
    from: day
      .startOf('week')
      .minus({ weeks: AGREEMENT_WEEKS - 1 })
      .toISODate()!,
    to: today,
  };
}

/** The report of one agreement over `from`..`to`, from its provider's days (other agreements' counters left out). */
export function buildAgreementReport(input: {
  agreement: string;
  service: string;
  provider: { id: string; name: string };
  from: string;
  to: string;
  days: readonly { day: string; counters: Counters }[];
}): Report {
  return buildReport({
    department: input.provider,
    from: input.from,
    to: input.to,
    days: input.days.map((d) => ({ day: d.day, counters: agreementCounters(d.counters, input.agreement) })),
    better: [],
    agreementNames: { [input.agreement]: input.service },
  });
}

/** `2026-11` and its neighbours; null for anything that is not a real month. */
export function monthNeighbours(month: string): { prev: string; next: string } | null {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return null;
  const m = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  if (!m.isValid) return null;
  return { prev: m.minus({ months: 1 }).toFormat('yyyy-MM'), next: m.plus({ months: 1 }).toFormat('yyyy-MM') };
}
