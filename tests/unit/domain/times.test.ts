/**
 * Report times (functions/domain/times.ts): the bucket a working time falls in, and medians, p90s
 * and "how often would this target have been met" read back from summed counters, on hand-checked
 * data and against a sort of the raw times.
 */
import fc from 'fast-check';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import type { Counters } from '../../../functions/domain/stats';
import {
  ALL,
  bucketOf,
  histogram,
  LAST_BOUND_MS,
  quantileMs,
  shareWithin,
  TIME_BUCKETS,
  timeKey,
  timesByPriority,
  timeText,
  waitingTimes,
  waitKey,
} from '../../../functions/domain/times';

const MIN = MINUTE_MS;

describe('buckets', () => {
  it('a time falls in the smallest bound it does not pass; past the last, in `more`', () => {
    expect(bucketOf(0)).toBe('5');
    expect(bucketOf(5 * MIN)).toBe('5');
    expect(bucketOf(5 * MIN + 1)).toBe('10');
    expect(bucketOf(4 * HOUR_MS)).toBe('240');
    expect(bucketOf(160 * HOUR_MS)).toBe('9600');
    expect(bucketOf(160 * HOUR_MS + 1)).toBe('more');
    expect(LAST_BOUND_MS).toBe(160 * HOUR_MS);
  });

  it('every common target is a bound, so the share that met it is exact', () => {
    for (const h of [0.5, 1, 2, 4, 8, 16, 24, 40, 80]) expect(TIME_BUCKETS).toContain(h * 60);
    expect([...TIME_BUCKETS].sort((a, b) => a - b)).toEqual([...TIME_BUCKETS]);
  });

  it('counter names are short: kind, agreement, priority, bound', () => {
    expect(timeKey('response', 'it-for-finance', 'P2', 25 * MIN)).toBe('resp|it-for-finance|P2|30');
    expect(timeKey('resolution', 'it-for-finance', 'P2', 200 * HOUR_MS)).toBe('reso|it-for-finance|P2|more');
    expect(waitKey(3 * HOUR_MS)).toBe('wait|180');
  });
});

describe('median, p90 and the share within a target, on known counters', () => {
  // P1: three answers within 30m and one within 1h under `a`, one within 4h under `b`; P2: two within 5m.
  const c: Counters = {
    'resp|a|P1|30': 3,
    'resp|a|P1|60': 1,
    'resp|b|P1|240': 1,
    'resp|a|P2|5': 2,
    'reso|a|P1|more': 1,
    'reso|a|P1|480': 1,
    filed: 9,
  };

  it('the median is the smallest bound at which half the times are counted, p90 likewise', () => {
    const p1 = histogram(c, 'response', ALL, 'P1');
    expect(quantileMs(p1, 50)).toBe(30 * MIN);
    expect(quantileMs(p1, 90)).toBe(4 * HOUR_MS);
    const a = histogram(c, 'response', 'a', 'P1');
    expect(quantileMs(a, 50)).toBe(30 * MIN);
    expect(quantileMs(a, 90)).toBe(HOUR_MS);
    expect(quantileMs(histogram(c, 'response'), 50)).toBe(30 * MIN); // every priority: 2 + 3 of 7 within 30m
    expect(quantileMs(histogram(c, 'response', ALL, 'P3'), 50)).toBeNull();
  });

  it('an even split takes the lower bucket: half of the times reach it', () => {
    const h = histogram({ 'resp|a|P1|30': 2, 'resp|a|P1|60': 2 }, 'response');
    expect(quantileMs(h, 50)).toBe(30 * MIN);
    expect(quantileMs(h, 90)).toBe(HOUR_MS);
  });

  it('a figure past the last bound says so', () => {
    const reso = histogram(c, 'resolution', ALL, 'P1');
    expect(quantileMs(reso, 50)).toBe(8 * HOUR_MS);
    expect(quantileMs(reso, 90)).toBe(Number.POSITIVE_INFINITY);
    expect(timeText(quantileMs(reso, 90), 2)).toBe('over 160h');
    expect(timeText(quantileMs(reso, 50), 2)).toBe('≤ 8h');
    expect(timeText(null, 0)).toBe('–');
  });

  it('the share within a target: exact at a bound, a lower bound between bounds', () => {
    expect(shareWithin(c, 'response', ALL, 'P1', HOUR_MS)).toBe(4 / 5);
    expect(shareWithin(c, 'response', ALL, 'P1', 4 * HOUR_MS)).toBe(1);
    // 50m lies inside the 1h bucket: its one answer may or may not have been within 50m, and is left out.
    expect(shareWithin(c, 'response', ALL, 'P1', 50 * MIN)).toBe(3 / 5);
    expect(shareWithin(c, 'response', 'b', 'P1', 2 * HOUR_MS)).toBe(0);
    expect(shareWithin(c, 'resolution', 'a', 'P1', 1000 * HOUR_MS)).toBe(1 / 2); // `more` is never within
    expect(shareWithin(c, 'response', 'a', 'P4', HOUR_MS)).toBeNull();
  });

  it('per priority, as the JSON report shows it', () => {
    expect(timesByPriority(c)).toEqual({
      P1: {
        responseMedianMs: 30 * MIN,
        responseP90Ms: 4 * HOUR_MS,
        resolutionMedianMs: 8 * HOUR_MS,
        resolutionP90Ms: null, // beyond the last bound, with a count
        counts: { response: 5, resolution: 2 },
      },
      P2: {
        responseMedianMs: 5 * MIN,
        responseP90Ms: 5 * MIN,
        resolutionMedianMs: null,
        resolutionP90Ms: null,
        counts: { response: 2, resolution: 0 },
      },
    });
  });

  it('waiting on the requester: per paused request', () => {
    expect(waitingTimes({ 'wait|60': 3, 'wait|more': 1 })).toEqual({ medianMs: HOUR_MS, p90Ms: null, count: 4 });
    expect(waitingTimes({})).toEqual({ medianMs: null, p90Ms: null, count: 0 });
  });

  it('a bucket taken below zero (a request counted before times began, then reopened) counts as empty', () => {
    const h = histogram({ 'reso|a|P1|60': -1, 'reso|a|P1|120': 2 }, 'resolution');
    expect(quantileMs(h, 50)).toBe(2 * HOUR_MS);
    expect(shareWithin({ 'reso|a|P1|60': -1, 'reso|a|P1|120': 2 }, 'resolution', ALL, ALL, HOUR_MS)).toBe(0);
  });
});

describe('against the raw times', () => {
  const times = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 10 * HOUR_MS }), fc.integer({ min: 0, max: 200 * HOUR_MS })),
    { minLength: 1, maxLength: 60 },
  );
  const countersOf = (ms: number[]): Counters => {
    const c: Counters = {};
    for (const t of ms) {
      const k = timeKey('response', 'a', 'P1', t);
      c[k] = (c[k] ?? 0) + 1;
    }
    return c;
  };
  /** The bound of the bucket of the time at rank ceil(q·n) in sorted order. */
  const rankBound = (ms: number[], percent: number) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const t = sorted[Math.ceil((percent * sorted.length) / 100) - 1]!;
    const b = bucketOf(t);
    return b === 'more' ? Number.POSITIVE_INFINITY : Number(b) * MIN;
  };

  it('median and p90 are the bounds of the buckets of the times at those ranks', () => {
    fc.assert(
      fc.property(times, (ms) => {
        const h = histogram(countersOf(ms), 'response', 'a', 'P1');
        expect(quantileMs(h, 50)).toBe(rankBound(ms, 50));
        expect(quantileMs(h, 90)).toBe(rankBound(ms, 90));
      }),
    );
  });

  it('the share within a bound is exact; within any other target it never overstates', () => {
    fc.assert(
      fc.property(times, fc.integer({ min: 1, max: 200 * HOUR_MS }), (ms, target) => {
        const c = countersOf(ms);
        const truth = (t: number) => ms.filter((x) => x <= t).length / ms.length;
        for (const b of [TIME_BUCKETS[0], 60, 480, 9600])
          expect(shareWithin(c, 'response', 'a', 'P1', b * MIN)).toBe(truth(b * MIN));
        expect(shareWithin(c, 'response', 'a', 'P1', target)!).toBeLessThanOrEqual(truth(target));
      }),
    );
  });
});
