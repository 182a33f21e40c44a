/**
 * Times, not only counts: how long requests took, kept as fixed histogram buckets of working time in
 * the day counters (stats.ts), so a report reads medians and p90s from the same ~92 day items as its
 * counts, never from the requests. Three distributions: time to first response and time to
 * resolution (each met clock's working time: `usedBefore` once `metAt` is set; the resolution
 * clock's current cycle), per agreement and priority, and the working time a request waited on its
 * requester. A figure read back is a bucket's upper bound ("≤ 4h"), never finer than the buckets.
 * Pure domain code; docs/reports.md "Times".
 */
import { PRIORITIES } from './agreement';
import { formatDuration, MINUTE_MS } from './duration';
import type { Request, Transfer } from './request';
import type { Counters } from './stats';
import type { TargetKind } from './target-clock';

/**
 * Upper bounds of the buckets in working minutes, the overflow bucket (`more`) after the last.
 * Fine where targets are usually set (15m … 8h: about one bucket per common target), coarser
 * beyond; every common target (30m, 1h, 2h, 4h, 8h, 16h, 24h, 40h, 80h) is a bound, so the share
 * that met it is exact.
 */
export const TIME_BUCKETS = [
  5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 300, 360, 480, 600, 720, 960, 1200, 1440, 1920, 2400, 2880, 3840, 4800,
  7200, 9600,
] as const;
/** The overflow bucket's name: more than the last bound. */
export const OVER = 'more';
/** The last bound in ms: a figure in the overflow bucket is "more than" this. */
export const LAST_BOUND_MS = TIME_BUCKETS[TIME_BUCKETS.length - 1]! * MINUTE_MS;
/** When the time counters began; requests count only for what happened to them since. */
export const TIMES_COUNTED_SINCE = '2026-12';

/** A distribution: the two targets, and the time waited on the requester. */
export type TimeKind = TargetKind | 'waiting';
/** Every agreement or every priority together. */
export const ALL = '*';

const PREFIX: Record<TimeKind, string> = { response: 'resp', resolution: 'reso', waiting: 'wait' };

/** The bucket of a working time in ms: the smallest bound (minutes) it does not exceed, else `more`. */
export function bucketOf(ms: number): string {
  for (const b of TIME_BUCKETS) if (ms <= b * MINUTE_MS) return String(b);
  return OVER;
}

/** `resp|<agreement>|<priority>|<bound>`, `reso|…`; waiting is per request only: `wait|<bound>`. */
export function timeKey(kind: TargetKind, agreement: string, priority: string, ms: number): string {
  return `${PREFIX[kind]}|${agreement}|${priority}|${bucketOf(ms)}`;
}
export const waitKey = (ms: number): string => `wait|${bucketOf(ms)}`;

type Add = (key: string, n?: number) => void;

/**
 * What a request adds to its day's time counters: each met clock's working time in its bucket, and
 * the working time it waited on its requester over every pause, once it waited and waits no longer.
 */
export function addTimes(
  add: Add,
  r: Pick<Request, 'clocks' | 'agreementId' | 'priority' | 'waited' | 'status'>,
): void {
  for (const kind of ['response', 'resolution'] as const) {
    const clock = r.clocks[kind];
    if (clock.metAt !== null) add(timeKey(kind, r.agreementId, r.priority, clock.usedBefore));
  }
  // Once it waits no longer, so a request in a pause is not counted by the time of its earlier pauses.
  if (r.waited && r.waited.pauses > 0 && r.status !== 'waiting_on_requester') add(waitKey(Math.round(r.waited.ms)));
}

/** What a handed-over request keeps in its first provider's counters: the targets it met (`took`). */
export function addTransferTimes(add: Add, t: Pick<Transfer, 'took' | 'agreementId' | 'priority'>): void {
  for (const kind of ['response', 'resolution'] as const) {
    const ms = t.took?.[kind];
    if (ms !== undefined) add(timeKey(kind, t.agreementId, t.priority, ms));
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the distributions back

/** Counts per bucket, `TIME_BUCKETS` order then the overflow; never below zero. */
export type Histogram = number[];

/**
 * The histogram of `kind` over summed counters, for one agreement or every one (`ALL`) and one
 * priority or every one (`ALL`); waiting has neither. A bucket is never counted below zero: a
 * request counted before the time counters began and changed since (a reopen) takes back what it
 * never added.
 */
export function histogram(c: Counters, kind: TimeKind, agreement = ALL, priority = ALL): Histogram {
  const bounds = [...TIME_BUCKETS.map(String), OVER];
  const index = new Map(bounds.map((b, i) => [b, i]));
  const out = bounds.map(() => 0);
  const p = `${PREFIX[kind]}|`;
  for (const [key, v] of Object.entries(c)) {
    if (!key.startsWith(p) || v <= 0) continue;
    const parts = key.slice(p.length).split('|');
    const bound = parts.pop()!;
    if (kind !== 'waiting') {
      const prio = parts.pop();
      // Agreement ids cannot hold `|`; joined anyway, so a stray key is skipped rather than misread.
      if (priority !== ALL && prio !== priority) continue;
      if (agreement !== ALL && parts.join('|') !== agreement) continue;
    }
    const i = index.get(bound);
    if (i !== undefined) out[i]! += v;
  }
  return out;
}

/** How many times a histogram holds. */
export const countOf = (h: Histogram): number => h.reduce((a, b) => a + b, 0);

/**
 * The `percent` quantile of a histogram as the bound of its bucket in ms: the smallest bound at
 * which the cumulative count reaches `percent` % of all. `null` without counts; `Infinity` when it
 * lies in the overflow bucket (more than `LAST_BOUND_MS`).
 */
export function quantileMs(h: Histogram, percent: number): number | null {
  const total = countOf(h);
  if (total === 0) return null;
  let cumulative = 0;
  for (let i = 0; i < h.length; i++) {
    cumulative += h[i]!;
    // Whole numbers on both sides: no rounding decides a median.
    if (cumulative * 100 >= percent * total)
      return i < TIME_BUCKETS.length ? TIME_BUCKETS[i]! * MINUTE_MS : Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The share (0 … 1) of met clocks of `kind` whose bucket's bound is at most `targetMs`: how often the
 * target would have been met. Exact when the target is a bucket bound; otherwise a lower bound (the
 * times in the bucket that holds the target are not known finely enough, and are left out). `null`
 * without met clocks.
 */
export function shareWithin(
  c: Counters,
  kind: TimeKind,
  agreement: string,
  priority: string,
  targetMs: number,
): number | null {
  const h = histogram(c, kind, agreement, priority);
  const total = countOf(h);
  if (total === 0) return null;
  let within = 0;
  TIME_BUCKETS.forEach((b, i) => {
    if (b * MINUTE_MS <= targetMs) within += h[i]!;
  });
  return within / total;
}

/** A time figure in JSON: the bound in ms, `null` without counts or beyond the last bound (say `count`). */
const jsonMs = (ms: number | null): number | null => (ms === null || !Number.isFinite(ms) ? null : ms);

export interface PriorityTimes {
  /** Bound (ms) of the bucket holding the median time to first response; null without counts or beyond the last bound. */
  responseMedianMs: number | null;
  responseP90Ms: number | null;
  resolutionMedianMs: number | null;
  resolutionP90Ms: number | null;
  /** How many met clocks the figures stand on. */
  counts: { response: number; resolution: number };
}

/** Median and p90 of both targets per priority, every agreement together, for priorities with any met clock. */
export function timesByPriority(c: Counters): Record<string, PriorityTimes> {
  const out: Record<string, PriorityTimes> = {};
  for (const p of PRIORITIES) {
    const response = histogram(c, 'response', ALL, p);
    const resolution = histogram(c, 'resolution', ALL, p);
    const counts = { response: countOf(response), resolution: countOf(resolution) };
    if (counts.response + counts.resolution === 0) continue;
    out[p] = {
      responseMedianMs: jsonMs(quantileMs(response, 50)),
      responseP90Ms: jsonMs(quantileMs(response, 90)),
      resolutionMedianMs: jsonMs(quantileMs(resolution, 50)),
      resolutionP90Ms: jsonMs(quantileMs(resolution, 90)),
      counts,
    };
  }
  return out;
}

export interface WaitingTimes {
  /** Bound (ms) of the bucket holding the median working time waited per paused request. */
  medianMs: number | null;
  p90Ms: number | null;
  /** Paused requests counted since the time counters began. */
  count: number;
}

export function waitingTimes(c: Counters): WaitingTimes {
  const h = histogram(c, 'waiting');
  return { medianMs: jsonMs(quantileMs(h, 50)), p90Ms: jsonMs(quantileMs(h, 90)), count: countOf(h) };
}

/**
 * A figure as people read it, honest about the buckets: `≤ 4h`, `over 160h` for the overflow
 * bucket (a JSON `null` with a count), `–` without counts.
 */
export function timeText(ms: number | null, count: number): string {
  if (count === 0) return '–';
  if (ms === null || !Number.isFinite(ms)) return `over ${formatDuration(LAST_BOUND_MS)}`;
  return `≤ ${formatDuration(ms)}`;
}
