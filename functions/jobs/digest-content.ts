/**
 * What the weekly digest says (functions/jobs/digest.ts posts it): the sources it reads the tips
 * and kudos from, and the message per channel and ISO week (the scorecard from the per-day
 * counters, the week's tips, last week's kudos and misses turned around, the requests at risk
 * now), read once per run and shared by channels in the same week. Also which departments the
 * digest's chart shows.
 */
import { DateTime } from 'luxon';
import { CHART_WEEKS, combinedTrend, enoughForChart } from '../domain/digest-trend';
import { type DigestSettings, type Directory, findDepartment } from '../domain/directory';
import { correlationShort, type Loyalty } from '../domain/loyalty';
import { buildReport } from '../domain/report';
import type { NamedReview } from '../domain/report-format';
import { periodLabel } from '../domain/report-period';
import { type CauseCategory, nextDue } from '../domain/request';
import { sumCounters } from '../domain/stats';
import { topCause } from '../domain/tips';
import { isoWeekOf, mondayOfWeek } from '../domain/weeks';
import { logger } from '../log';
import { calendarOf } from '../services/calendars';
import { reviewsOfDepartments } from '../services/reviews';
import type { SlackMessage } from '../slack/views/blocks';
import {
  type DigestKudos,
  type DigestLoyalty,
  type DigestTip,
  digestMessage,
  type ScoreRow,
} from '../slack/views/digest';
import type { Db } from '../store/client';
import { kudosOfWeek } from '../store/kudos';
import { readLoyalty } from '../store/metrics';
import { queueOf } from '../store/requests';
import { readDays } from '../store/stats';
import { tipsForWeek } from '../store/tips';

/** What the digest reads from the tips and kudos features (fakes in tests). */
export interface DigestSources {
  /**
   * The week's two tips; undefined when there are none. With `cause`, the internal tip is one tagged
   * with it when one is (`because` says so).
   */
  tipsForWeek(
    week: string,
    cause?: CauseCategory,
  ): Promise<{ internal: DigestTip; customer: DigestTip; because?: CauseCategory } | undefined>;
  /** Kudos given in ISO week `week`: received per department, the messages, and the recoveries confirmed. */
  kudosOfWeek(week: string): Promise<{
    byDepartment: Record<string, number>;
    messages: DigestKudos[];
    turned?: { requestId: string; provider: string; customer: string }[];
  }>;
  /**
   * Each front-line department's customer figures beside the compliance of what it receives, over
   * the weeks up to `lastDay` (store/metrics.ts); departments without figures are left out.
   */
  loyalty?(dir: Directory, lastDay: string): Promise<Loyalty[]>;
  /** Joint reviews opened, agreed or followed up in ISO week `week`, over every agreement (services/reviews.ts). */
  reviews?(dir: Directory, week: string): Promise<NamedReview[]>;
}

/** The real sources: the tips catalogue (functions/store/tips.ts) and the week's kudos (functions/store/kudos.ts). */
export function storeSources(db: Db): DigestSources {
  return {
    tipsForWeek: (week, cause) => tipsForWeek(db, week, cause),
    kudosOfWeek: (week) => kudosOfWeek(db, week),
    loyalty: async (dir, lastDay) =>
      (await Promise.all(dir.departments.map((d) => readLoyalty(db, dir, d, lastDay)))).filter(
        (l): l is Loyalty => l !== undefined,
      ),
    reviews: (dir, week) => {
      const monday = mondayOfWeek(week);
      if (monday === undefined) return Promise.resolve([]);
      const all = dir.departments.map((d) => d.id);
      return reviewsOfDepartments(db, dir, all, monday, monday + 7 * 24 * 60 * 60 * 1000);
    },
  };
}

/**
 * The digest's figures, read once per run: the scorecard per week (channels in different time
 * zones may be in different weeks), the tips, the kudos and the requests at risk now.
 */
export class ContentCache {
  private messages = new Map<string, Promise<SlackMessage>>();
  private charts = new Map<string, Promise<string[] | undefined>>();
  private days = new Map<string, ReturnType<typeof readDays>>();
  private atRisk?: Promise<number>;
  private readonly providers: { id: string; name: string }[];

  constructor(
    private readonly db: Db,
    private readonly dir: Directory,
    private readonly sources: DigestSources,
    private readonly now: number,
  ) {
    const ids = new Set(dir.agreements.flatMap((a) => (a.active ? [a.active.provider] : [])));
    this.providers = dir.departments.filter((d) => ids.has(d.id)).map((d) => ({ id: d.id, name: d.name }));
  }

  messageFor(settings: DigestSettings, week: string): Promise<SlackMessage> {
    const monday = DateTime.fromMillis(this.now, { zone: settings.timezone }).startOf('week').minus({ weeks: 1 });
    const key = `${week}|${monday.toISODate()}`;
    let message = this.messages.get(key);
    if (!message) {
      message = this.build(week, monday);
      message.catch(() => this.messages.delete(key)); // a failed read is tried again for the next channel
      this.messages.set(key, message);
    }
    return message;
  }

  /**
   * The departments whose combined compliance of the last CHART_WEEKS weeks (up to and including
   * last week) the chart shows, or undefined when that is not enough for a chart.
   */
  chartFor(settings: DigestSettings): Promise<string[] | undefined> {
    const lastMonday = DateTime.fromMillis(this.now, { zone: settings.timezone }).startOf('week').minus({ weeks: 1 });
    const key = lastMonday.toISODate()!;
    let chart = this.charts.get(key);
    if (!chart) {
      chart = (async () => {
        const { from, to } = this.span(lastMonday);
        const days = await Promise.all(this.providers.map(async (dept) => (await this.daysOf(dept.id, from, to)).days));
        return this.providers.length > 0 && enoughForChart(combinedTrend(from, to, days))
          ? this.providers.map((p) => p.id)
          : undefined;
      })();
      chart.catch(() => this.charts.delete(key));
      this.charts.set(key, chart);
    }
    return chart;
  }

  /** The CHART_WEEKS weeks up to last week: the scorecard's two weeks are read with the chart's eight. */
  private span(lastMonday: DateTime): { from: string; to: string } {
    return {
      from: lastMonday.minus({ weeks: CHART_WEEKS - 1 }).toISODate()!,
      to: lastMonday.plus({ days: 6 }).toISODate()!,
    };
  }

  private daysOf(department: string, from: string, to: string): ReturnType<typeof readDays> {
    const key = `${department}|${from}|${to}`;
    let read = this.days.get(key);
    if (!read) {
      this.days.set(key, (read = readDays(this.db, department, from, to)));
      read.catch(() => this.days.delete(key));
    }
    return read;
  }

  private async build(week: string, lastMonday: DateTime): Promise<SlackMessage> {
    const from = lastMonday.toISODate()!;
    const to = lastMonday.plus({ days: 6 }).toISODate()!;
    const prevFrom = lastMonday.minus({ weeks: 1 }).toISODate()!;
    const prevTo = lastMonday.minus({ days: 1 }).toISODate()!;
    const lastWeek = isoWeekOf(lastMonday);
    const span = this.span(lastMonday);
    // Last week's most frequent cause of a miss, over every providing department, picks the internal tip.
    const lastWeekDays = (
      await Promise.all(this.providers.map(async (dept) => (await this.daysOf(dept.id, span.from, span.to)).days))
    )
      .flat()
      .filter((d) => d.day >= from && d.day <= to);
    const cause = topCause(sumCounters(lastWeekDays.map((d) => d.counters)));
    const [tips, kudos, atRisk, rows, loyalty, reviews] = await Promise.all([
      this.sources.tipsForWeek(week, cause).catch((err: Error) => {
        logger.warn('digest tips not read; the digest goes without them', { week, error: err.message });
        return undefined;
      }),
      this.sources.kudosOfWeek(lastWeek).catch((err: Error) => {
        logger.warn('digest kudos not read; the digest goes without them', { week: lastWeek, error: err.message });
        return { byDepartment: {} as Record<string, number>, messages: [] as DigestKudos[], turned: [] };
      }),
      this.atRiskNow(),
      Promise.all(
        this.providers.map(async (dept): Promise<ScoreRow> => {
          const { days } = await this.daysOf(dept.id, span.from, span.to);
          const last = buildReport({ department: dept, from, to, days, better: [], agreementNames: {} });
          const before = buildReport({
            department: dept,
            from: prevFrom,
            to: prevTo,
            days,
            better: [],
            agreementNames: {},
          });
          return {
            department: dept.id,
            name: dept.name,
            requests: last.requests,
            compliancePct: last.compliancePct,
            previousPct: before.compliancePct,
            met: last.met,
            breaches: last.breached,
            kudos: 0,
          };
        }),
      ),
      this.loyaltyLines(to),
      this.reviewsOf(lastWeek),
    ]);
    const scorecard = rows.map((r) => ({ ...r, kudos: kudos.byDepartment[r.department] ?? 0 }));
    const nameOf = (id: string) => findDepartment(this.dir, id)?.name ?? id;
    const turned = (kudos.turned ?? []).map((t) => ({
      provider: nameOf(t.provider),
      customer: nameOf(t.customer),
      requestId: t.requestId,
    }));
    return digestMessage({
      week,
      lastWeekLabel: periodLabel(from, to),
      ...(tips ? { tips } : {}),
      scorecard,
      kudos: kudos.messages,
      turned,
      reviews,
      loyalty,
      atRisk,
    });
  }

  /** Last week's joint reviews; a failed read leaves them out of this digest. */
  private async reviewsOf(week: string): Promise<NamedReview[]> {
    if (!this.sources.reviews) return [];
    try {
      return await this.sources.reviews(this.dir, week);
    } catch (err) {
      logger.warn('digest joint reviews not read; the digest goes without them', {
        week,
        error: (err as Error).message,
      });
      return [];
    }
  }

  /** One line per front-line department and metric: last week's compliance received, the latest figure, r. */
  private async loyaltyLines(lastDay: string): Promise<DigestLoyalty[]> {
    if (!this.sources.loyalty) return [];
    try {
      const all = await this.sources.loyalty(this.dir, lastDay);
      return all.flatMap((l) =>
        l.metrics.map((m): DigestLoyalty => {
          const latest = m.weeks.filter((w) => w.value !== null).at(-1);
          return {
            name: findDepartment(this.dir, l.department)?.name ?? l.department,
            metric: m.metric,
            compliancePct: m.weeks.at(-1)?.compliancePct ?? null,
            ...(latest ? { latest: { value: latest.value!, week: latest.week } } : {}),
            correlation: correlationShort(m.correlation, m.n),
          };
        }),
      );
    } catch (err) {
      logger.warn('digest customer figures not read; the digest goes without them', {
        error: (err as Error).message,
      });
      return [];
    }
  }

  /** Open requests of every providing department whose next target is at risk or already missed. */
  private atRiskNow(): Promise<number> {
    this.atRisk ??= (async () => {
      let n = 0;
      for (const dept of this.dir.departments.filter((d) => this.providers.some((p) => p.id === d.id))) {
        const calendar = calendarOf(dept);
        for (const request of await queueOf(this.db, dept.id)) {
          const next = nextDue(request, calendar, this.now);
          if (next && (next.status === 'at_risk' || next.status === 'breached')) n++;
        }
      }
      return n;
    })();
    return this.atRisk;
  }
}
