/** The built-in tip catalogue (the data file, checked) and the weekly rotation (properties). */
import fc from 'fast-check';
import { CAUSE_CATEGORIES } from '../../../functions/domain/request';
import {
  activeTips,
  builtInTips,
  catalogueProblems,
  causeProblems,
  MIN_TIPS_PER_CAUSE,
  MIN_TIPS_PER_KIND,
  NoTipsError,
  newTipId,
  normalised,
  overlayCatalogue,
  pickInternalTip,
  pickTip,
  pickTips,
  rotationOrder,
  TIP_BODY_MAX,
  TIP_KINDS,
  TIP_TITLE_MAX,
  TIP_TRY_MAX,
  type Tip,
  TipCatalogueSpec,
  type TipKind,
  TipSpec,
  topCause,
  weekOrdinal,
} from '../../../functions/domain/tips';
import raw from '../../../functions/domain/tips-catalogue.json';
import { addWeeks, mondayOfWeek, weekOf } from '../../../functions/domain/weeks';

describe('the built-in catalogue (functions/domain/tips-catalogue.json)', () => {
  const tips = (raw as { tips: unknown[] }).tips;

  it('passes the schema as written in the file', () => {
    const parsed = TipCatalogueSpec.safeParse(raw);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
    expect(builtInTips()).toHaveLength(tips.length);
  });

  it.each(TIP_KINDS)('has at least 60 %s tips', (kind) => {
    expect(builtInTips().filter((t) => t.kind === kind).length).toBeGreaterThanOrEqual(MIN_TIPS_PER_KIND);
  });

  it('keeps every field within its length, trimmed, with the title on one line', () => {
    for (const t of builtInTips()) {
      expect([
        t.id,
        t.title.length <= TIP_TITLE_MAX,
        t.body.length <= TIP_BODY_MAX,
        t.tryThisWeek.length <= TIP_TRY_MAX,
      ]).toEqual([t.id, true, true, true]);
      for (const field of [t.title, t.body, t.tryThisWeek]) expect(field).toBe(field.trim());
      expect(t.title).not.toMatch(/[\r\n]/);
    }
  });

  it('has unique ids, titles (ignoring case and punctuation) and bodies, and no body that is just its title', () => {
    expect(catalogueProblems(builtInTips())).toEqual([]);
    expect(new Set(builtInTips().map((t) => t.id)).size).toBe(builtInTips().length);
    expect(new Set(builtInTips().map((t) => t.title.toLowerCase())).size).toBe(builtInTips().length);
    expect(new Set(builtInTips().map((t) => normalised(t.body))).size).toBe(builtInTips().length);
    expect(new Set(builtInTips().map((t) => normalised(t.tryThisWeek))).size).toBe(builtInTips().length);
    for (const t of builtInTips()) {
      expect(normalised(t.body)).not.toBe(normalised(t.title));
      expect(normalised(t.body).startsWith(normalised(t.title))).toBe(false);
    }
  });

  it('names ids after their kind (int-…, cus-…)', () => {
    for (const t of builtInTips()) expect(t.id.startsWith(t.kind === 'internal' ? 'int-' : 'cus-')).toBe(true);
  });

  it('avoids the platitudes the issue rules out', () => {
    const banned = [
      /communication is key/i,
      /customer is always right/i,
      /go the extra mile/i,
      /exceed expectations/i,
      /at the end of the day/i,
      /\bsynerg/i,
      /\bdelight\b/i,
    ];
    for (const t of builtInTips())
      for (const re of banned) expect(`${t.id}: ${t.title} ${t.body} ${t.tryThisWeek}`).not.toMatch(re);
  });
});

describe('TipSpec and catalogue checks', () => {
  const ok: Tip = {
    id: 'int-x',
    kind: 'internal',
    title: 'A title',
    body: 'A body that says a good deal more than its title does.',
    tryThisWeek: 'Do one thing by Friday.',
  };

  it.each([
    ['a title over 60 characters', { title: 'x'.repeat(61) }, 'title'],
    ['a body over 280 characters', { body: 'y'.repeat(281) }, 'body'],
    ['a try-this-week over 160 characters', { tryThisWeek: 'z'.repeat(161) }, 'tryThisWeek'],
    [
      'a body that is just its title',
      { title: 'Close the loop after a fix please now', body: 'Close the loop, after a fix, please now!' },
      'body',
    ],
    ['an id with capitals', { id: 'Int-X' }, 'id'],
    ['an unknown kind', { kind: 'partner' }, 'kind'],
    ['a two-line title', { title: 'One\ntwo' }, 'title'],
    ['a cause that is not a cause of a miss', { causes: ['weather'] }, 'causes'],
    ['the same cause twice', { causes: ['handoff', 'handoff'] }, 'causes'],
    ['an empty list of causes', { causes: [] }, 'causes'],
    ['causes on a customer tip', { id: 'cus-x', kind: 'customer', causes: ['handoff'] }, 'causes'],
  ])('refuses %s on that field', (_what, change, field) => {
    const parsed = TipSpec.safeParse({ ...ok, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path[0])).toContain(field);
  });

  it('finds repeated ids, titles that differ only in case, and repeated bodies', () => {
    const other = { ...ok, id: 'int-y', title: 'a TITLE', body: `${ok.body}!` };
    expect(catalogueProblems([ok, other])).toEqual(['int-y: same title as int-x', 'int-y: same body as int-x']);
    expect(
      catalogueProblems([ok, { ...ok, title: 'Other', body: 'Another body entirely, long enough to pass.' }]),
    ).toEqual(['int-x: same id as int-x']);
  });

  it('makes new ids from the title, unique within the catalogue', () => {
    expect(newTipId('customer', "Don't vanish: end the chat!", new Set())).toBe('cus-don-t-vanish-end-the-chat');
    expect(newTipId('internal', 'Say no with an alternative', new Set(['int-say-no-with-an-alternative']))).toBe(
      'int-say-no-with-an-alternative-2',
    );
    expect(newTipId('internal', '!!!', new Set())).toBe('int-tip');
    expect(newTipId('internal', 'x'.repeat(100), new Set()).length).toBeLessThanOrEqual(60);
  });
});

describe('weeks', () => {
  it('reads ISO weeks, including week 53 and the years whose week 1 starts in December', () => {
    expect(weekOf(new Date('2026-11-23T10:00:00Z'))).toBe('2026-W48');
    expect(weekOf(new Date('2026-12-31T23:59:59Z'))).toBe('2026-W53');
    expect(weekOf(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(new Date(mondayOfWeek('2026-W48')!).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(mondayOfWeek('2025-W53')).toBeUndefined();
    expect(mondayOfWeek('2026-48')).toBeUndefined();
    expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
    expect(weekOrdinal('2024-W01')).toBe(0);
    expect(weekOrdinal('2025-W01')).toBe(52);
    expect(weekOrdinal('2023-W52')).toBe(-1);
  });

  it('counts consecutive weeks one apart, for any Monday from 1990 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1800, max: 9000 }), (k) => {
        const week = addWeeks('2024-W01', k);
        expect(weekOrdinal(week)).toBe(k);
        expect(weekOf(new Date(mondayOfWeek(week)!))).toBe(week);
      }),
    );
  });
});

/** A catalogue of n tips of each kind with made-up ids. */
function catalogue(ids: { internal: string[]; customer: string[] }): Tip[] {
  return TIP_KINDS.flatMap((kind) =>
    ids[kind].map((id) => ({
      id,
      kind,
      title: `T ${id}`,
      body: `Body of ${id}, long enough to pass the checks.`,
      tryThisWeek: `Try ${id} this week.`,
    })),
  );
}
const idList = (prefix: string, min = 1) =>
  fc.uniqueArray(
    fc.stringMatching(/^[a-z0-9]{1,12}$/).map((s) => `${prefix}-${s}`),
    { minLength: min, maxLength: 150 },
  );
const anyWeek = fc.integer({ min: -600, max: 3000 }).map((k) => addWeeks('2024-W01', k));

describe('the rotation', () => {
  it('goes through every tip of each kind once in any n consecutive weeks, from any week', () => {
    fc.assert(
      fc.property(idList('int'), idList('cus'), anyWeek, (internal, customer, start) => {
        const tips = catalogue({ internal, customer });
        for (const kind of TIP_KINDS) {
          const n = kind === 'internal' ? internal.length : customer.length;
          const seen = Array.from({ length: n }, (_, i) => pickTips(tips, addWeeks(start, i))[kind].id);
          expect(new Set(seen).size).toBe(n);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('picks the same tips for the same week, whatever order the catalogue is in', () => {
    fc.assert(
      fc.property(idList('int'), idList('cus'), anyWeek, fc.integer(), (internal, customer, week, seed) => {
        const tips = catalogue({ internal, customer });
        const shuffled = [...tips].sort((a, b) => ((a.id.length * 31 + seed) % 7) - ((b.id.length * 31 + seed) % 7));
        expect(pickTips(shuffled, week)).toEqual(pickTips(tips, week));
        expect(pickTips(tips, week)).toEqual(pickTips(tips, week));
      }),
    );
  });

  it('picks each kind from its own kind', () => {
    const picks = pickTips(builtInTips(), '2026-W48');
    expect([picks.internal.kind, picks.customer.kind]).toEqual(['internal', 'customer']);
  });

  it('shows all n built-in tips of each kind over n weeks, then starts the same cycle again', () => {
    const weeks = Array.from({ length: 128 }, (_, i) => addWeeks('2026-W01', i));
    for (const kind of TIP_KINDS) {
      const n = builtInTips().filter((t) => t.kind === kind).length;
      const ids = weeks.slice(0, n).map((w) => pickTip(builtInTips(), kind, w).id);
      expect(new Set(ids).size).toBe(n);
      expect(pickTip(builtInTips(), kind, addWeeks('2026-W01', n)).id).toBe(ids[0]);
    }
  });

  it('is a shuffle, not the file order', () => {
    const order = rotationOrder(builtInTips(), 'internal').map((t) => t.id);
    expect(order).not.toEqual(
      builtInTips()
        .filter((t) => t.kind === 'internal')
        .map((t) => t.id),
    );
    expect(rotationOrder(builtInTips(), 'internal', { salt: 'other' }).map((t) => t.id)).not.toEqual(order);
  });

  it('keeps the others in their order when a tip is added or retired', () => {
    fc.assert(
      fc.property(idList('int', 2), fc.nat(), (internal, which) => {
        const tips = catalogue({ internal, customer: ['cus-a'] });
        const gone = internal[which % internal.length]!;
        const order = rotationOrder(tips, 'internal').map((t) => t.id);
        const without = rotationOrder(
          tips.filter((t) => t.id !== gone),
          'internal',
        ).map((t) => t.id);
        expect(without).toEqual(order.filter((id) => id !== gone));
      }),
    );
  });

  it('never picks a retired tip and picks an added one within a cycle', () => {
    const retired = builtInTips()[0]!;
    const added: Tip = {
      id: 'int-added-by-admin',
      kind: 'internal',
      title: 'Added',
      body: 'An admin wrote this tip for the whole company to read.',
      tryThisWeek: 'Read it on Monday.',
    };
    const entries = overlayCatalogue(builtInTips(), [
      { id: retired.id, retired: true },
      { id: added.id, tip: added, source: 'custom' },
    ]);
    const active = activeTips(entries);
    const n = active.filter((t) => t.kind === 'internal').length;
    const ids = Array.from({ length: n }, (_, i) => pickTips(active, addWeeks('2027-W10', i)).internal.id);
    expect(ids).not.toContain(retired.id);
    expect(ids).toContain(added.id);
  });

  it('says clearly when a kind has no tip at all', () => {
    const only = builtInTips().filter((t) => t.kind === 'internal');
    expect(() => pickTips(only, '2026-W48')).toThrow(NoTipsError);
    expect(() => pickTips(builtInTips(), '2026-W99')).toThrow(RangeError);
  });
});

describe("overlay of admins' changes", () => {
  const [a, b] = builtInTips() as [Tip, Tip];
  it('replaces edited tips in place (keeping id and kind), marks retirements, adds custom tips at the end in id order', () => {
    const edited = { ...a, title: 'Edited title', kind: 'customer' as TipKind };
    const custom = (id: string): Tip => ({
      ...b,
      id,
      kind: 'customer',
      title: `Custom ${id}`,
      body: `A custom tip called ${id}, long enough.`,
    });
    const entries = overlayCatalogue(builtInTips(), [
      { id: 'cus-zzz', tip: custom('cus-zzz'), source: 'custom' },
      { id: a.id, tip: edited, source: 'edit' },
      { id: b.id, retired: true },
      { id: 'cus-aaa', tip: custom('cus-aaa'), source: 'custom', retired: true },
      { id: 'int-orphan', retired: true },
    ]);
    expect(entries).toHaveLength(builtInTips().length + 2);
    expect(entries[0]).toEqual({ tip: { ...edited, kind: a.kind }, source: 'edit', retired: false });
    expect(entries[1]).toEqual({ tip: b, source: 'built-in', retired: true });
    expect(entries.slice(-2).map((e) => [e.tip.id, e.source, e.retired])).toEqual([
      ['cus-aaa', 'custom', true],
      ['cus-zzz', 'custom', false],
    ]);
    const active = activeTips(entries).map((t) => t.id);
    expect(active).not.toContain(b.id);
    expect(active).not.toContain('cus-aaa');
    expect(active).toContain('cus-zzz');
  });
});

describe('the internal tip by the week’s most frequent cause of a miss', () => {
  const tip = (id: string, causes?: Tip['causes']): Tip => ({
    id,
    kind: 'internal',
    title: `Tip ${id}`,
    body: `A tip called ${id}, long enough to be a tip.`,
    tryThisWeek: 'Do one thing by Friday.',
    ...(causes ? { causes } : {}),
  });

  it(`the built-in catalogue tags at least ${MIN_TIPS_PER_CAUSE} internal tips with every cause`, () => {
    expect(causeProblems(builtInTips())).toEqual([]);
    for (const cause of CAUSE_CATEGORIES)
      expect(
        builtInTips().filter((t) => t.kind === 'internal' && t.causes?.includes(cause)).length,
      ).toBeGreaterThanOrEqual(MIN_TIPS_PER_CAUSE);
    const without = builtInTips().map((t) => (t.causes?.includes('tooling') ? { ...t, causes: undefined } : t));
    expect(causeProblems(without)).toEqual([
      'only 0 internal tips are tagged with the cause tooling; the digest needs 3',
    ]);
  });

  it('finds the most frequent cause; a tie goes to the cause listed first, whatever the counters’ order', () => {
    expect(topCause({ filed: 9 })).toBeUndefined();
    expect(topCause({ 'cause|other': 2, 'cause|handoff': 3, 'cause|staffing': 1 })).toBe('handoff');
    expect(topCause({ 'cause|other': 2, 'cause|tooling': 2 })).toBe('tooling');
    expect(topCause({ 'cause|dependency': 4, 'cause|staffing': 4 })).toBe('staffing');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...CAUSE_CATEGORIES), fc.integer({ min: 0, max: 5 }))), (pairs) => {
        const counters: Record<string, number> = {};
        for (const [c, n] of pairs) if (n > 0) counters[`cause|${c}`] = n;
        const reversed = Object.fromEntries(Object.entries(counters).reverse());
        const top = topCause(counters);
        expect(topCause(reversed)).toBe(top);
        const most = Math.max(0, ...Object.values(counters));
        if (most === 0) expect(top).toBeUndefined();
        else expect(CAUSE_CATEGORIES.find((c) => counters[`cause|${c}`] === most)).toBe(top);
      }),
    );
  });

  it('picks among the tips tagged with the cause, by the usual rotation: stable for the week, each in turn', () => {
    const catalogue = [tip('int-a', ['handoff']), tip('int-b'), tip('int-c', ['handoff', 'tooling']), tip('int-d')];
    const tagged = ['int-a', 'int-c'];
    const weeks = Array.from({ length: 4 }, (_, i) => addWeeks('2026-W48', i));
    const picks = weeks.map((w) => pickInternalTip(catalogue, w, 'handoff'));
    for (const p of picks) expect(p.because).toBe('handoff');
    expect(new Set(picks.slice(0, 2).map((p) => p.tip.id))).toEqual(new Set(tagged));
    expect(picks.map((p) => p.tip.id)).toEqual(
      weeks.map(
        (w) =>
          pickTip(
            catalogue.filter((t) => tagged.includes(t.id)),
            'internal',
            w,
          ).id,
      ),
    );
    // The same whatever order the catalogue is in.
    expect(pickInternalTip([...catalogue].reverse(), '2026-W48', 'handoff')).toEqual(picks[0]);
  });

  it('falls back to the usual rotation with no cause, or no tip tagged with it', () => {
    const catalogue = [tip('int-a', ['handoff']), tip('int-b'), tip('int-d')];
    expect(pickInternalTip(catalogue, '2026-W48')).toEqual({ tip: pickTip(catalogue, 'internal', '2026-W48') });
    expect(pickInternalTip(catalogue, '2026-W48', 'staffing')).toEqual({
      tip: pickTip(catalogue, 'internal', '2026-W48'),
    });
  });

  it('an edited built-in tip keeps its causes; a custom tip may have none', () => {
    const tagged = builtInTips().find((t) => t.causes)!;
    const { causes: _causes, ...untagged } = { ...tagged, title: 'Edited title' };
    const [entry] = overlayCatalogue([tagged], [{ id: tagged.id, tip: untagged, source: 'edit' }]);
    expect(entry!.tip).toEqual({ ...untagged, causes: tagged.causes });
    expect(TipSpec.safeParse(tip('int-custom')).success).toBe(true);
  });
});
