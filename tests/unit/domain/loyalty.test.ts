/**
 * Internal service next to customer loyalty (functions/domain/loyalty.ts): Pearson's correlation
 * on known data, the note that goes with it, which agreements serve a front-line department, and
 * how providers' days line up with the metric's ISO weeks.
 */
import type { AgreementVersion } from '../../../functions/domain/agreement';
import type { AgreementRecord } from '../../../functions/domain/directory';
import {
  buildLoyalty,
  correlationShort,
  LOYALTY_MIN_WEEKS,
  loyaltyNote,
  type MetricValue,
  pearson,
  servingAgreements,
  weeksUpTo,
} from '../../../functions/domain/loyalty';
import { type Counters, customerKey } from '../../../functions/domain/stats';

const agreement = (id: string, provider: string, customer: string): AgreementRecord => ({
  id,
  latestVersion: 1,
  active: { id, version: 1, provider, customer, service: id, status: 'active' } as unknown as AgreementVersion,
});
const pairs = (xs: number[], ys: number[]) => xs.map((x, i) => [x, ys[i]!] as const);

describe('pearson', () => {
  it('is +1 for a perfect rising line and -1 for a falling one', () => {
    expect(pearson(pairs([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]))).toBe(1);
    expect(pearson(pairs([1, 2, 3, 4, 5], [7, 5, 3, 1, -1]))).toBe(-1);
  });

  it('is 0 when the figures do not move together', () => {
    expect(pearson(pairs([1, 2, 3, 4], [1, -1, -1, 1]))).toBe(0);
  });

  it('matches a value worked out by hand', () => {
    // x = 1..5, y = 2,4,5,4,5: r = 6 / sqrt(10 * 6) = 0.7746
    expect(pearson(pairs([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]))).toBe(0.77);
  });

  it('is undefined for a constant series or fewer than two weeks, and the note says why', () => {
    expect(pearson(pairs([90, 90, 90, 90], [1, 2, 3, 4]))).toBeUndefined();
    expect(pearson(pairs([1, 2, 3], [5, 5, 5]))).toBeUndefined();
    expect(pearson(pairs([1], [5]))).toBeUndefined();
    expect(loyaltyNote('nps', undefined, 10)).toMatch(/never changed, so a correlation cannot be computed/);
    expect(loyaltyNote('nps', undefined, 1)).toMatch(/nothing to compare/);
  });
});

describe('the note', () => {
  it(`says it is too early under ${LOYALTY_MIN_WEEKS} weeks, and never claims a cause`, () => {
    expect(loyaltyNote('nps', 0.9, 5)).toMatch(/Only 5 weeks have both figures: too early/);
    const full = loyaltyNote('nps', 0.82, 12);
    expect(full).toMatch(
      /Over 12 weeks, internal compliance and nps moved strongly in the same direction \(r = 0.82\)/,
    );
    for (const note of [full, loyaltyNote('nps', 0.9, 5), loyaltyNote('churn', -0.5, 20)])
      expect(note).toMatch(/does not show that one caused the other/);
    expect(loyaltyNote('churn', -0.5, 20)).toMatch(/moderately in opposite directions/);
    expect(loyaltyNote('nps', 0.05, 20)).toMatch(/hardly moved together/);
  });
});

describe('the short reading (the digest)', () => {
  it('reads r as the note does, in a few words, and says when it is too early or cannot be said', () => {
    expect(correlationShort(0.82, 12)).toBe('r = 0.82 over 12 weeks: moved strongly in the same direction');
    expect(correlationShort(-0.5, 20)).toBe('r = -0.50 over 20 weeks: moved moderately in opposite directions');
    expect(correlationShort(0.9, 5)).toBe('r = 0.90 over 5 weeks, too early to read anything into');
    expect(correlationShort(undefined, 10)).toBe('no correlation: one figure never changed over 10 weeks');
    expect(correlationShort(undefined, 1)).toBe('not yet two weeks with both figures');
  });
});

describe('serving agreements', () => {
  const all = [
    agreement('it-sales', 'it', 'sales'),
    agreement('it-all', 'it', '*'),
    agreement('legal-finance', 'legal', 'finance'),
    agreement('sales-all', 'sales', '*'),
  ];
  it('are by default those where the department is the customer, "*" ones included, not its own', () => {
    expect(servingAgreements(all, 'sales').map((a) => a.id)).toEqual(['it-sales', 'it-all']);
  });
  it('are the declared ones when the department names them', () => {
    expect(servingAgreements(all, 'sales', ['legal-finance']).map((a) => a.id)).toEqual(['legal-finance']);
  });
});

describe('buildLoyalty', () => {
  it('lines days up with ISO weeks and puts each week beside its metric value', () => {
    expect(weeksUpTo('2026-12-06', 3)).toEqual(['2026-W47', '2026-W48', '2026-W49']);
    const day = (met: number, breached: number, customer?: string): Counters => {
      const c: Counters = { 'met|it-sales|P2': met, 'breached|it-sales|P2': breached };
      if (customer) {
        c[`met|it-all|P2`] = 5;
        c[customerKey(customer, 'met', 'it-all')] = 5;
      }
      return c;
    };
    const values: MetricValue[] = [
      { department: 'sales', metric: 'nps', week: '2026-W47', value: 30 },
      { department: 'sales', metric: 'nps', week: '2026-W48', value: 40 },
      { department: 'sales', metric: 'nps', week: '2026-W40', value: 99 }, // outside the weeks
      { department: 'finance', metric: 'nps', week: '2026-W48', value: 1 }, // another department's
    ];
    const loyalty = buildLoyalty({
      department: 'sales',
      weeks: ['2026-W47', '2026-W48', '2026-W49'],
      agreements: [agreement('it-sales', 'it', 'sales'), agreement('it-all', 'it', '*')],
      providers: [
        {
          department: 'it',
          days: [
            { day: '2026-11-22', counters: day(1, 1) }, // Sunday: still W47
            { day: '2026-11-23', counters: day(3, 0, 'finance') }, // Monday: W48; the "*" share is finance's
            { day: '2026-11-29', counters: day(0, 0, 'sales') }, // Sunday of W48: sales' own "*" share
          ],
        },
      ],
      values,
    });
    expect(loyalty.agreements).toEqual(['it-sales', 'it-all']);
    expect(loyalty.metrics).toHaveLength(1);
    const nps = loyalty.metrics[0]!;
    expect(nps.weeks.map((w) => [w.week, w.met, w.breached, w.compliancePct, w.value])).toEqual([
      ['2026-W47', 1, 1, 50, 30],
      ['2026-W48', 8, 0, 100, 40],
      ['2026-W49', 0, 0, null, null],
    ]);
    expect(nps.n).toBe(2);
    expect(nps.correlation).toBe(1);
    expect(nps.note).toMatch(/Only 2 weeks have both figures: too early/);
  });
});
