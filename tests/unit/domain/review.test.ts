/**
 * Joint reviews' rules: a tier crossing opens one review per month and tier; the same cause on three
 * breached requests within 30 days of the provider's calendar opens one (31 days do not), and a
 * later, separate run opens another only once the first was followed up; the follow-up falls on the
 * first working instant 14 days after the agreed day; held or came back by what was counted.
 */
import fc from 'fast-check';
import { compileCalendar } from '../../../functions/domain/calendar';
import {
  type CausedBreach,
  causeToOpen,
  checkFix,
  followUpAt,
  followUpOutcome,
  type Review,
  tierToOpen,
} from '../../../functions/domain/review';

const NY = 'America/New_York';
const it9to5 = compileCalendar({
  timezone: NY,
  hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
});
const PENALTY = {
  tiers: [
    { fromBreach: 3, multiplier: 2 },
    { fromBreach: 6, multiplier: 3 },
  ],
};
const ny = (local: string) => Date.parse(new Date(`${local}Z`).toISOString()) + 5 * 3600_000; // EST (winter)

describe('a penalty tier crossed opens one review per month and tier', () => {
  it('nothing before the tier, the tier at its breach, then nothing more until the next tier', () => {
    expect(tierToOpen(PENALTY, '2026-12', 2, [])).toBeUndefined();
    const third = tierToOpen(PENALTY, '2026-12', 3, []);
    expect(third).toEqual({ kind: 'tier', month: '2026-12', fromBreach: 3, multiplier: 2 });
    const opened = [{ trigger: third! }];
    expect(tierToOpen(PENALTY, '2026-12', 4, opened)).toBeUndefined();
    expect(tierToOpen(PENALTY, '2026-12', 6, opened)).toEqual({
      kind: 'tier',
      month: '2026-12',
      fromBreach: 6,
      multiplier: 3,
    });
    // A new month starts again.
    expect(tierToOpen(PENALTY, '2027-01', 3, opened)?.fromBreach).toBe(3);
  });

  it('two tiers jumped between runs open the higher one only, and never the lower after it', () => {
    const six = tierToOpen(PENALTY, '2026-12', 7, [])!;
    expect(six.fromBreach).toBe(6);
    expect(tierToOpen(PENALTY, '2026-12', 7, [{ trigger: six }])).toBeUndefined();
  });

  it('property: however the count grows, each tier of a month opens at most once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 20 }), (steps) => {
        const opened: { trigger: NonNullable<ReturnType<typeof tierToOpen>> }[] = [];
        let n = 0;
        for (const step of steps) {
          n += step;
          const t = tierToOpen(PENALTY, '2026-12', n, opened);
          if (t) opened.push({ trigger: t });
        }
        const tiers = opened.map((o) => o.trigger.fromBreach);
        expect(new Set(tiers).size).toBe(tiers.length);
      }),
    );
  });
});

const breach = (request: string, local: string, category: CausedBreach['category'] = 'handoff'): CausedBreach => ({
  request,
  category,
  dueAt: ny(local),
});

describe('the same cause three times within 30 days of the provider calendar', () => {
  it('1 to 30 December (30 days) opens a review; 1 to 31 December (31 days) does not', () => {
    const within = [
      breach('IT-1', '2026-12-01T09:30'),
      breach('IT-2', '2026-12-15T10:00'),
      breach('IT-3', '2026-12-30T16:00'),
    ];
    expect(causeToOpen(within, NY, [])).toEqual({
      trigger: { kind: 'cause', category: 'handoff' },
      key: 'cause|handoff|IT-1',
      requests: ['IT-1', 'IT-2', 'IT-3'],
    });
    const over = [
      breach('IT-1', '2026-12-01T09:30'),
      breach('IT-2', '2026-12-15T10:00'),
      breach('IT-3', '2026-12-31T09:30'),
    ];
    expect(causeToOpen(over, NY, [])).toBeUndefined();
  });

  it('counts local days: 23:30 in New York on the 30th is still the 30th there (04:30 UTC on the 31st)', () => {
    const late = [
      breach('IT-1', '2026-12-01T09:30'),
      breach('IT-2', '2026-12-02T10:00'),
      breach('IT-3', '2026-12-30T23:30'),
    ];
    expect(new Date(late[2]!.dueAt).toISOString()).toBe('2026-12-31T04:30:00.000Z');
    expect(causeToOpen(late, NY, [])?.requests).toEqual(['IT-1', 'IT-2', 'IT-3']);
  });

  it('different causes, or one request breached twice, are not three of a kind', () => {
    expect(
      causeToOpen(
        [
          breach('IT-1', '2026-12-01T09:30'),
          breach('IT-2', '2026-12-02T10:00', 'tooling'),
          breach('IT-3', '2026-12-03T10:00'),
        ],
        NY,
        [],
      ),
    ).toBeUndefined();
    expect(
      causeToOpen(
        [breach('IT-1', '2026-12-01T09:30'), breach('IT-1', '2026-12-01T15:00'), breach('IT-3', '2026-12-03T10:00')],
        NY,
        [],
      ),
    ).toBeUndefined();
  });

  it('one run gives one review; a later, separate run gives another once the first was followed up', () => {
    const run1 = [
      breach('IT-1', '2026-12-01T09:30'),
      breach('IT-2', '2026-12-02T10:00'),
      breach('IT-3', '2026-12-03T10:00'),
    ];
    const first = causeToOpen(run1, NY, [])!;
    const opened = {
      trigger: first.trigger,
      breaches: run1.map((b) => ({ request: b.request, dueAt: b.dueAt })),
    } as unknown as Review;
    const run2 = [
      ...run1,
      breach('IT-4', '2026-12-08T10:00'),
      breach('IT-5', '2026-12-09T10:00'),
      breach('IT-6', '2026-12-10T10:00'),
    ];
    // Open, or agreed and not yet followed up: the category waits.
    expect(causeToOpen(run2, NY, [opened])).toBeUndefined();
    // The same three again (a concurrent run) find the same key: put-if-absent makes it one.
    expect(causeToOpen(run1, NY, [])?.key).toBe(first.key);
    const followed = { ...opened, followUp: { outcome: 'came_back' as const, count: 3, at: ny('2026-12-20T09:00') } };
    expect(causeToOpen(run1, NY, [followed])).toBeUndefined(); // the first run is spent
    expect(causeToOpen(run2, NY, [followed])).toEqual({
      trigger: { kind: 'cause', category: 'handoff' },
      key: 'cause|handoff|IT-4',
      requests: ['IT-4', 'IT-5', 'IT-6'],
    });
  });
});

describe('the follow-up', () => {
  it('comes on the first working instant 14 days after the agreed day, on the provider calendar', () => {
    // Friday 11 December + 14 days = Friday 25 December 00:00: not a working hour; 09:00 that day is.
    expect(new Date(followUpAt(it9to5, '2026-12-11')).toISOString()).toBe('2026-12-25T14:00:00.000Z');
    // Saturday 12 December + 14 = Saturday 26 December: the next working instant is Monday 28 December 09:00.
    expect(new Date(followUpAt(it9to5, '2026-12-12')).toISOString()).toBe('2026-12-28T14:00:00.000Z');
  });

  const agreed = { at: ny('2026-12-10T12:00'), followUpAt: ny('2026-12-28T09:00') };
  it('held when no breach of that cause came between the agreement and the follow-up', () => {
    const review = { trigger: { kind: 'cause' as const, category: 'handoff' as const }, agreed };
    const later = [
      { dueAt: ny('2026-12-09T12:00'), category: 'handoff' as const }, // before the fix was agreed
      { dueAt: ny('2026-12-15T12:00'), category: 'tooling' as const }, // another cause
      { dueAt: ny('2026-12-16T12:00') }, // no cause written down
      { dueAt: ny('2026-12-29T12:00'), category: 'handoff' as const }, // after the follow-up
    ];
    expect(followUpOutcome(review, later, 1)).toEqual({ outcome: 'held', count: 0, at: 1 });
  });

  it('came back with the count of those that did; a tier review counts any breach', () => {
    const later = [
      { dueAt: ny('2026-12-15T12:00'), category: 'handoff' as const },
      { dueAt: ny('2026-12-16T12:00'), category: 'tooling' as const },
    ];
    expect(followUpOutcome({ trigger: { kind: 'cause', category: 'handoff' }, agreed }, later, 1)).toEqual({
      outcome: 'came_back',
      count: 1,
      at: 1,
    });
    expect(
      followUpOutcome({ trigger: { kind: 'tier', month: '2026-12', fromBreach: 3, multiplier: 2 }, agreed }, later, 1),
    ).toEqual({ outcome: 'came_back', count: 2, at: 1 });
  });
});

describe('the form', () => {
  const ok = { fix: 'Pair the night shift with a handover checklist', owner: 'U0ITHEAD1', date: '2026-12-11' };
  it('takes a fix, an owner and a day from today on', () => {
    expect(checkFix(ok, '2026-12-10')).toEqual({});
    expect(checkFix({ ...ok, date: '2026-12-10' }, '2026-12-10')).toEqual({});
  });
  it('says what is wrong with each field', () => {
    expect(checkFix({ fix: '  ', owner: '', date: '2026-12-09' }, '2026-12-10')).toEqual({
      fix: expect.stringContaining('Write down the fix'),
      owner: expect.stringContaining('Choose the person'),
      date: expect.stringContaining('That day has passed; choose 2026-12-10 or later'),
    });
    expect(checkFix({ ...ok, fix: 'x'.repeat(501) }, '2026-12-10').fix).toContain('500 characters');
    expect(checkFix({ ...ok, date: '' }, '2026-12-10').date).toContain('Choose the day');
  });
});
