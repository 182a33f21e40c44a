/**
 * Reopen cycles in reports, against a recount (issue #18): random histories of requests (reopens,
 * repeated and late scans, breaches Kept tries whatever the clocks say, waivers of this and earlier
 * cycles, transfers) go through the domain and the day counters as the store writes them, and the
 * report built from those counters must say what a plain recount of the history's events says:
 * requests ever breached, requests breached in their current cycle, and every breach once.
 */
import fc from 'fast-check';
import { buildReport } from '../../../functions/domain/report';
import { type Counters, statsDelta, statsDeltas, sumCounters } from '../../../functions/domain/stats';
import { fileOf, type History, history, play } from './histories';

/** One department's time with a request: from its filing or a transfer to it, until a transfer away. */
interface Stint {
  department: string;
  breaches: number;
  responseMissed: boolean;
  /** A resolution breach recorded since the stint's last reopen. */
  resolutionMissedThisCycle: boolean;
  charged: Record<string, number>;
  waived: Record<string, number>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const add = (m: Record<string, number>, unit: string, n: number) => {
  m[unit] = round2((m[unit] ?? 0) + n);
};

interface Played {
  /** Every department's day counters, as the store adds them up. */
  counters: Map<string, Map<string, Counters>>;
  stints: Stint[];
  /** The last stint ended resolved or closed. */
  done: boolean;
  laterCycleBreaches: number;
  reopens: number;
  /** Reopens that ended a breached cycle. */
  afterBreach: number;
}

function run(h: History): Played {
  const counters = new Map<string, Map<string, Counters>>();
  const post = (department: string, day: string, c: Counters) => {
    const days = counters.get(department) ?? new Map<string, Counters>();
    days.set(day, sumCounters([days.get(day) ?? {}, c]));
    counters.set(department, days);
  };
  const filed = fileOf(h).request;
  post(filed.provider, filed.filed.day, statsDelta(undefined, filed).add);
  const stint = (department: string): Stint => ({
    department,
    breaches: 0,
    responseMissed: false,
    resolutionMissedThisCycle: false,
    charged: {},
    waived: {},
  });
  const stints = [stint(filed.provider)];
  let laterCycleBreaches = 0;
  let reopens = 0;
  let afterBreach = 0;
  const final = play(h, (p) => {
    if (!p.outcome?.ok) return;
    for (const { department, delta } of statsDeltas(p.before, p.after)) post(department, delta.day, delta.add);
    // The recount reads only the history line of each accepted change.
    const e = p.outcome.event;
    const now = stints[stints.length - 1]!;
    if (e.type === 'breach') {
      now.breaches++;
      if (e.kind === 'response') now.responseMissed = true;
      else now.resolutionMissedThisCycle = true;
      add(now.charged, e.unit!, e.amount!);
      if ((e.cycle ?? 1) > 1) laterCycleBreaches++;
    } else if (e.type === 'reopen') {
      if (now.resolutionMissedThisCycle) afterBreach++;
      now.resolutionMissedThisCycle = false;
      reopens++;
    } else if (e.type === 'waive') {
      add(now.waived, e.unit!, e.amount!);
    } else if (e.type === 'transfer') {
      stints.push(stint(e.transfer!.to));
    }
  });
  return {
    counters,
    stints,
    done: final.status === 'resolved' || final.status === 'closed',
    laterCycleBreaches,
    reopens,
    afterBreach,
  };
}

describe('reports count reopen cycles as a recount does', () => {
  it('ever breached, breached this cycle and breaches (each once) equal a recount of the histories', () => {
    let laterCycleBreaches = 0;
    let reopens = 0;
    let afterBreach = 0;
    fc.assert(
      fc.property(fc.array(history, { minLength: 1, maxLength: 3 }), (histories) => {
        const played = histories.map(run);
        for (const department of ['it', 'people-ops']) {
          const days = played.flatMap((p) =>
            [...(p.counters.get(department) ?? new Map<string, Counters>())].map(([day, counters]) => ({
              day,
              counters,
            })),
          );
          const report = buildReport({
            department: { id: department, name: department },
            from: '2025-12-01',
            to: '2027-12-31',
            days,
            better: [],
            agreementNames: {},
          });
          const mine = played.flatMap((p) =>
            p.stints.map((s, i) => ({ s, last: i === p.stints.length - 1, done: p.done })),
          );
          const ours = mine.filter(({ s }) => s.department === department);
          const expected = {
            requests: ours.length,
            breached: ours.filter(({ s }) => s.breaches > 0).length,
            breachedThisCycle: ours.filter(({ s }) => s.responseMissed || s.resolutionMissedThisCycle).length,
            breaches: ours.reduce((n, { s }) => n + s.breaches, 0),
            met: ours.filter(({ s, last, done }) => last && done && s.breaches === 0).length,
          };
          const actual = {
            requests: report.requests,
            breached: report.breached,
            breachedThisCycle: report.breachedThisCycle,
            breaches: report.breaches,
            met: report.met,
          };
          expect(actual).toEqual(expected);
          for (const unit of ['points', 'EUR']) {
            const charged = round2(ours.reduce((n, { s }) => n + (s.charged[unit] ?? 0), 0));
            const waived = round2(ours.reduce((n, { s }) => n + (s.waived[unit] ?? 0), 0));
            expect([report.penalties[unit]?.charged ?? 0, report.penalties[unit]?.waived ?? 0]).toEqual([
              charged,
              waived,
            ]);
          }
        }
        for (const p of played) {
          laterCycleBreaches += p.laterCycleBreaches;
          reopens += p.reopens;
          afterBreach += p.afterBreach;
        }
      }),
      { numRuns: 200 },
    );
    // The histories reach what the law is about: reopens, reopens that end a breached cycle, and
    // breaches of a later cycle. Over 25 runs of 200 the counts were 57-88, 17-41 and 17-33 (means
    // about 68, 26 and 25); the bounds sit far enough below that a random run never trips them
    // (reopens > 50 failed a clean-clone CI run once, at 49).
    expect(reopens).toBeGreaterThan(25);
    expect(afterBreach).toBeGreaterThan(5);
    expect(laterCycleBreaches).toBeGreaterThan(5);
  });
});
