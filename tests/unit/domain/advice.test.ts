/**
 * Target advice (functions/domain/advice.ts): medians, p90s and "how often would this target have
 * been met" for proposed targets, read from day counters; on known counters and, as a property,
 * against a recount of a generated history's raw working times.
 */
import fc from 'fast-check';
import {
  ADVICE_DAYS,
  adviceLines,
  adviceSource,
  adviceSpan,
  buildAdvice,
  MIN_HISTORY,
} from '../../../functions/domain/advice';
import { PRIORITIES, type Priority, type Targets } from '../../../functions/domain/agreement';
import { HOUR_MS, MINUTE_MS } from '../../../functions/domain/duration';
import type { Request } from '../../../functions/domain/request';
import { type Counters, sumCounters } from '../../../functions/domain/stats';
import type { TargetKind } from '../../../functions/domain/target-clock';
import { addTimes, TIME_BUCKETS } from '../../../functions/domain/times';

const MIN = MINUTE_MS;

describe('the last quarter', () => {
  it('is the last 92 local days in the provider zone, today included', () => {
    // 23:30 UTC on 5 March is already 6 March in Auckland.
    const now = Date.UTC(2027, 2, 5, 23, 30);
    expect(adviceSpan(now, 'UTC')).toEqual({ from: '2026-12-04', to: '2027-03-05' });
    expect(adviceSpan(now, 'Pacific/Auckland')).toEqual({ from: '2026-12-05', to: '2027-03-06' });
    expect(ADVICE_DAYS).toBe(92);
  });
});

describe('advice on known counters', () => {
  // it-laptops P2: 12 answers (6 within 30m, 4 within 1h, 2 within 4h); 12 solutions (10 within 16h, 2 within 24h).
  // it-accounts P2: 3 answers within 5m. P1: nothing.
  const c: Counters = {
    'resp|it-laptops|P2|30': 6,
    'resp|it-laptops|P2|60': 4,
    'resp|it-laptops|P2|240': 2,
    'reso|it-laptops|P2|960': 10,
    'reso|it-laptops|P2|1440': 2,
    'resp|it-accounts|P2|5': 3,
    filed: 20,
  };
  const targets: Targets = {
    P1: { response: 15 * MIN, resolution: 4 * HOUR_MS },
    P2: { response: HOUR_MS, resolution: 16 * HOUR_MS },
  };

  it("a changed agreement's advice rests on its own requests", () => {
    const advice = buildAdvice({ counters: c, agreement: 'it-laptops', targets });
    expect(advice.scope).toBe('agreement');
    const p2 = advice.priorities.find((p) => p.priority === 'P2')!;
    expect(p2.response).toEqual({
      count: 12,
      medianMs: 30 * MIN,
      p90Ms: 4 * HOUR_MS,
      target: { ms: HOUR_MS, share: 10 / 12, exact: true },
    });
    expect(p2.resolution.target).toEqual({ ms: 16 * HOUR_MS, share: 10 / 12, exact: true });
    expect(adviceLines(advice)).toEqual([
      'P1 first response: no requests answered last quarter, so there is nothing to go on for 15m yet.',
      'P1 resolution: no requests solved last quarter, so there is nothing to go on for 4h yet.',
      'P2 first response: median ≤ 30m, p90 ≤ 4h (12 answered); 1h would have been met 83 % of the time.',
      'P2 resolution: median ≤ 16h, p90 ≤ 24h (12 solved); 16h would have been met 83 % of the time.',
    ]);
    expect(adviceSource(advice, 'IT')).toBe("this agreement's own requests over the last quarter");
  });

  it("a new agreement's advice rests on every agreement of the provider, and says so", () => {
    const advice = buildAdvice({ counters: c, targets: { P2: { response: HOUR_MS, resolution: 20 * HOUR_MS } } });
    expect(advice.scope).toBe('provider');
    expect(advice.priorities[0]!.response).toMatchObject({ count: 15, target: { share: 13 / 15 } });
    expect(adviceSource(advice, 'IT')).toMatch(/every agreement IT keeps/);
  });

  it('a target between two bounds is a lower bound: "at least"', () => {
    const advice = buildAdvice({
      counters: c,
      agreement: 'it-laptops',
      targets: { P2: { response: 50 * MIN, resolution: 18 * HOUR_MS } },
    });
    const [, resolution] = adviceLines(advice);
    expect(advice.priorities[0]!.response.target).toEqual({ ms: 50 * MIN, share: 6 / 12, exact: false });
    expect(resolution).toBe(
      'P2 resolution: median ≤ 16h, p90 ≤ 24h (12 solved); 18h would have been met at least 83 % of the time.',
    );
  });

  it('with too little history it says so instead of a percentage', () => {
    const advice = buildAdvice({
      counters: c,
      agreement: 'it-accounts',
      targets: { P2: { response: HOUR_MS, resolution: 8 * HOUR_MS } },
    });
    expect(MIN_HISTORY).toBe(10);
    expect(adviceLines(advice)[0]).toBe(
      'P2 first response: only 3 requests answered last quarter, too few to say how often 1h would have been met.',
    );
    expect(adviceLines(advice).join(' ')).not.toMatch(/%/);
  });

  it('a share is never rounded up to 100 % while a clock missed', () => {
    const many: Counters = { 'resp|a|P3|60': 999, 'resp|a|P3|120': 1 };
    const advice = buildAdvice({
      counters: many,
      agreement: 'a',
      targets: { P3: { response: HOUR_MS, resolution: HOUR_MS } },
    });
    expect(adviceLines(advice)[0]).toMatch(/1h would have been met 99 % of the time/);
  });

  it('times beyond the last bound read as "over"', () => {
    const slow: Counters = { 'reso|a|P4|more': 10 };
    const advice = buildAdvice({
      counters: slow,
      agreement: 'a',
      targets: { P4: { response: HOUR_MS, resolution: 80 * HOUR_MS } },
    });
    expect(adviceLines(advice)[1]).toBe(
      'P4 resolution: median over 160h, p90 over 160h (10 solved); 80h would have been met 0 % of the time.',
    );
  });
});

describe('advice equals a recount from raw requests (property)', () => {
  const AGREEMENTS = ['a', 'b', 'c'];
  const metClock = fc.option(fc.integer({ min: 0, max: 200 * HOUR_MS }), { nil: null, freq: 4 });
  const request = fc.record({
    day: fc.integer({ min: 0, max: ADVICE_DAYS - 1 }),
    agreementId: fc.constantFrom(...AGREEMENTS),
    priority: fc.constantFrom(...PRIORITIES),
    response: metClock,
    resolution: metClock,
  });
  type Raw = typeof request extends fc.Arbitrary<infer T> ? T : never;
  const targetMs = fc.oneof(
    fc.constantFrom(...TIME_BUCKETS.map((b) => b * MIN)),
    fc.integer({ min: 1, max: 200 * HOUR_MS }),
  );
  const targets = fc.dictionary(
    fc.constantFrom(...PRIORITIES),
    fc.record({ response: targetMs, resolution: targetMs }),
  ) as fc.Arbitrary<Targets>;

  /** What the day counters hold: each request's times added through the real counter code, day by day. */
  function counters(requests: Raw[]): Counters {
    const days = new Map<number, Counters>();
    for (const r of requests) {
      const c = days.get(r.day) ?? {};
      days.set(r.day, c);
      const clock = (ms: number | null) => ({ metAt: ms === null ? null : 1, usedBefore: ms ?? 0 });
      addTimes(
        (key, n = 1) => {
          c[key] = (c[key] ?? 0) + n;
        },
        {
          agreementId: r.agreementId,
          priority: r.priority,
          clocks: { response: clock(r.response), resolution: clock(r.resolution) },
          status: 'resolved',
        } as unknown as Request,
      );
    }
    return sumCounters([...days.values()]);
  }

  /** The bound (ms) of a raw time's bucket, Infinity past the last. */
  const boundOf = (ms: number): number => {
    const b = TIME_BUCKETS.find((x) => ms <= x * MIN);
    return b === undefined ? Number.POSITIVE_INFINITY : b * MIN;
  };
  /** The recount: sort the raw times and take the rank's bucket bound. */
  function recount(times: number[], percent: number): number | null {
    if (times.length === 0) return null;
    const sorted = [...times].sort((x, y) => x - y);
    return boundOf(sorted[Math.ceil((percent / 100) * sorted.length) - 1]!);
  }

  it('medians, p90s, counts and shares match the raw times', () => {
    fc.assert(
      fc.property(
        fc.array(request, { maxLength: 150 }),
        targets,
        fc.option(fc.constantFrom(...AGREEMENTS), { nil: undefined }),
        (requests, proposed, agreement) => {
          const advice = buildAdvice({ counters: counters(requests), agreement, targets: proposed });
          expect(advice.priorities.map((p) => p.priority)).toEqual(PRIORITIES.filter((p) => proposed[p]));
          for (const p of advice.priorities) {
            for (const kind of ['response', 'resolution'] as TargetKind[]) {
              const times = requests
                .filter((r) => r.priority === (p.priority as Priority))
                .filter((r) => agreement === undefined || r.agreementId === agreement)
                .map((r) => r[kind])
                .filter((ms): ms is number => ms !== null);
              const a = p[kind];
              const target = proposed[p.priority]![kind];
              expect(a.count).toBe(times.length);
              expect(a.medianMs).toBe(recount(times, 50));
              expect(a.p90Ms).toBe(recount(times, 90));
              const within = times.filter((ms) => boundOf(ms) <= target).length;
              expect(a.target!.share).toBe(times.length === 0 ? null : within / times.length);
              // Exact when the target is a bound; never more than the truth otherwise.
              const truth = times.filter((ms) => ms <= target).length;
              if (a.target!.exact) expect(within).toBe(truth);
              else expect(within).toBeLessThanOrEqual(truth);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
