/**
 * Target advice: what the provider's last quarter says about targets being chosen (the propose
 * form, its proposal DMs and `kept import --dry-run`). Read from the day counters' time buckets
 * (times.ts), never from the requests: per priority, the median and p90 of time to first response
 * and to resolution, how many met clocks they rest on, and for each proposed target the share of
 * those clocks within it. An agreement being changed uses its own counters; a new one the
 * provider's across every agreement it keeps. Pure domain code; docs/agreements.md "Target advice".
 */
import { DateTime } from 'luxon';
import { PRIORITIES, type Priority, type Targets } from './agreement';
import { formatDuration, MINUTE_MS } from './duration';
import type { Counters } from './stats';
import type { TargetKind } from './target-clock';
import { ALL, countOf, histogram, quantileMs, shareWithin, TIME_BUCKETS, timeText } from './times';

/** The last quarter: this many local days, today included. */
export const ADVICE_DAYS = 92;
/** Fewer met clocks than this and the advice says so rather than give figures that mean little. */
export const MIN_HISTORY = 10;

/** The local dates advice reads in the provider's `zone`: the last `ADVICE_DAYS` days, today included. */
export function adviceSpan(now: number, zone: string): { from: string; to: string } {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  return { from: today.minus({ days: ADVICE_DAYS - 1 }).toISODate()!, to: today.toISODate()! };
}

export interface KindAdvice {
  /** Met clocks of this kind and priority last quarter. */
  count: number;
  /** Bound (ms) of the bucket holding the median; `Infinity` beyond the last bound; null without counts. */
  medianMs: number | null;
  p90Ms: number | null;
  /** The proposed target, when there is one. */
  target?: {
    ms: number;
    /** Share (0 … 1) of the met clocks within it; null without counts. */
    share: number | null;
    /** Whether the share is exact (the target is a bucket bound) or a lower bound ("at least"). */
    exact: boolean;
  };
}

export interface PriorityAdvice {
  priority: Priority;
  response: KindAdvice;
  resolution: KindAdvice;
}

export interface Advice {
  /** `agreement`: the agreement's own requests; `provider`: every agreement the provider keeps. */
  scope: 'agreement' | 'provider';
  priorities: PriorityAdvice[];
}

const isBound = (ms: number): boolean => TIME_BUCKETS.some((b) => b * MINUTE_MS === ms);

function kindAdvice(c: Counters, kind: TargetKind, agreement: string, priority: Priority, targetMs?: number) {
  const h = histogram(c, kind, agreement, priority);
  const out: KindAdvice = { count: countOf(h), medianMs: quantileMs(h, 50), p90Ms: quantileMs(h, 90) };
  if (targetMs !== undefined)
    out.target = { ms: targetMs, share: shareWithin(c, kind, agreement, priority, targetMs), exact: isBound(targetMs) };
  return out;
}

/**
 * The advice for `targets` from the provider's summed counters of the last quarter: for the
 * agreement `agreement` when it is being changed (its own counters), else across the provider's
 * agreements. One entry per priority the targets cover, in priority order.
 */
export function buildAdvice(input: { counters: Counters; agreement?: string | undefined; targets: Targets }): Advice {
  const which = input.agreement ?? ALL;
  const priorities = PRIORITIES.filter((p) => input.targets[p]).map((priority) => {
    const t = input.targets[priority]!;
    return {
      priority,
      response: kindAdvice(input.counters, 'response', which, priority, t.response),
      resolution: kindAdvice(input.counters, 'resolution', which, priority, t.resolution),
    };
  });
  return { scope: input.agreement === undefined ? 'provider' : 'agreement', priorities };
}

/** A share as people read it: whole percent, rounded down so a miss never reads as 100 %. */
export const percentText = (share: number): string => `${Math.floor(share * 100 + 1e-9)} %`;

const NOUN: Record<TargetKind, [string, string]> = {
  response: ['first response', 'answered'],
  resolution: ['resolution', 'solved'],
};

/** One line per priority and kind, e.g. "P2 first response: median ≤ 1h, p90 ≤ 4h (57 answered); 30m would have been met 62 % of the time." */
export function kindLine(priority: Priority, kind: TargetKind, a: KindAdvice): string {
  const [noun, done] = NOUN[kind];
  const head = `${priority} ${noun}`;
  const target = a.target ? formatDuration(a.target.ms) : undefined;
  if (a.count === 0)
    return `${head}: no requests ${done} last quarter, so there is nothing to go on${target ? ` for ${target}` : ''} yet.`;
  if (a.count < MIN_HISTORY)
    return `${head}: only ${a.count} ${a.count === 1 ? 'request' : 'requests'} ${done} last quarter, too few to say${target ? ` how often ${target} would have been met` : ' what is usual'}.`;
  const figures = `median ${timeText(a.medianMs, a.count)}, p90 ${timeText(a.p90Ms, a.count)} (${a.count} ${done})`;
  if (!a.target || a.target.share === null) return `${head}: ${figures}.`;
  const share = `${a.target.exact ? '' : 'at least '}${percentText(a.target.share)}`;
  return `${head}: ${figures}; ${target} would have been met ${share} of the time.`;
}

/** Every line of the advice, response then resolution per priority. */
export function adviceLines(advice: Advice): string[] {
  return advice.priorities.flatMap((p) => [
    kindLine(p.priority, 'response', p.response),
    kindLine(p.priority, 'resolution', p.resolution),
  ]);
}

/** What the figures rest on, after "From …": the agreement's own requests or the provider's (its name, already escaped for the medium). */
export function adviceSource(advice: Advice, providerName: string): string {
  return advice.scope === 'agreement'
    ? "this agreement's own requests over the last quarter"
    : `every agreement ${providerName} keeps over the last quarter (this agreement has no history of its own yet)`;
}
