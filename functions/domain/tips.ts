/**
 * Service tips for the weekly digest: the built-in catalogue (tips-catalogue.json, checked with
 * zod when this module loads), the overlay of admins' changes, and the weekly rotation.
 *
 * Rotation. Each kind is put in a fixed order by a hash of `ROTATION_SALT + id` (ties by id), and
 * week k since ROTATION_EPOCH shows the tip at position k mod n. So a week always shows the same
 * tips for the same catalogue, and any n consecutive weeks show all n tips of a kind once.
 * Because the order is by a hash of each id, adding a tip slots it in between the others and
 * retiring one takes it out, without reshuffling the rest; but n changes, so in the cycle where the
 * catalogue changes a tip may come round again early or wait one cycle longer. The "no repeat
 * until every tip has been shown" promise holds for every run of weeks over which the catalogue
 * stays the same.
 */
import * as z from '../zod';
import { DAY_MS } from './duration';
import { CAUSE_CATEGORIES, type CauseCategory } from './request';
import type { Counters } from './stats';
import raw from './tips-catalogue.json';
import { mondayOfWeek } from './weeks';

export const TIP_KINDS = ['internal', 'customer'] as const;
export type TipKind = (typeof TIP_KINDS)[number];

export const TIP_TITLE_MAX = 60;
export const TIP_BODY_MAX = 280;
export const TIP_TRY_MAX = 160;
export const TIP_ID_MAX = 64;
/** The issue asks for at least this many tips of each kind in the built-in catalogue. */
export const MIN_TIPS_PER_KIND = 60;
/** The built-in catalogue has at least this many internal tips tagged with each cause of a miss. */
export const MIN_TIPS_PER_CAUSE = 3;

/** The prefix of the ids of each kind (`int-handoff-note`, `cus-first-30-seconds`). */
export const KIND_PREFIX: Record<TipKind, string> = { internal: 'int', customer: 'cus' };
export const TIP_KIND_LABEL: Record<TipKind, string> = {
  internal: 'Serving colleagues',
  customer: 'Serving customers',
};

export const TIP_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const text = (what: string, min: number, max: number) =>
  z
    .string({ error: `${what} is missing` })
    .check(
      z.trim(),
      z.minLength(min, `${what} needs at least ${min} characters`),
      z.maxLength(max, `${what} must be at most ${max} characters`),
    );

export const TipSpec = z
  .strictObject({
    id: z
      .string()
      .check(
        z.maxLength(TIP_ID_MAX, `an id is at most ${TIP_ID_MAX} characters`),
        z.regex(TIP_ID, 'an id is lowercase letters, digits and single hyphens, like int-handoff-note'),
      ),
    kind: z.enum(TIP_KINDS, { error: 'kind is "internal" or "customer"' }),
    title: text('the title', 3, TIP_TITLE_MAX).check(z.regex(/^[^\r\n]*$/, 'the title must be one line')),
    body: text('the tip', 40, TIP_BODY_MAX),
    tryThisWeek: text('"try this week"', 15, TIP_TRY_MAX),
    /** The causes of a miss (CAUSE_CATEGORIES) an internal tip helps with; the digest picks by them. */
    causes: z.optional(
      z.array(z.enum(CAUSE_CATEGORIES, { error: `a cause is one of ${CAUSE_CATEGORIES.join(', ')}` })).check(
        z.minLength(1, 'leave causes out rather than empty'),
        z.refine((c) => new Set(c).size === c.length, 'each cause once'),
      ),
    ),
  })
  .check(
    z.refine((t) => t.causes === undefined || t.kind === 'internal', {
      path: ['causes'],
      error: 'causes are for internal tips: they name why a colleague was let down',
    }),
    z.refine((t) => normalised(t.body) !== normalised(t.title), {
      path: ['body'],
      error: 'the tip must say more than its title',
    }),
  );
export type Tip = z.infer<typeof TipSpec>;

/** Lowercase letters and digits only: what two texts share when they differ only in case, spaces or punctuation. */
export function normalised(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Problems that make a set of tips unusable as a catalogue: repeated ids, titles or bodies. */
export function catalogueProblems(tips: readonly Tip[]): string[] {
  const problems: string[] = [];
  const seen = { id: new Map<string, string>(), title: new Map<string, string>(), body: new Map<string, string>() };
  for (const t of tips) {
    for (const [field, key] of [
      ['id', t.id],
      ['title', normalised(t.title)],
      ['body', normalised(t.body)],
    ] as const) {
      const other = seen[field].get(key);
      if (other !== undefined) problems.push(`${t.id}: same ${field} as ${other}`);
      else seen[field].set(key, t.id);
    }
  }
  return problems;
}

/** Causes with fewer than MIN_TIPS_PER_CAUSE internal tips tagged (the built-in catalogue must have none). */
export function causeProblems(tips: readonly Tip[]): string[] {
  return CAUSE_CATEGORIES.flatMap((cause) => {
    const n = tips.filter((t) => t.kind === 'internal' && t.causes?.includes(cause)).length;
    return n >= MIN_TIPS_PER_CAUSE
      ? []
      : [`only ${n} internal tips are tagged with the cause ${cause}; the digest needs ${MIN_TIPS_PER_CAUSE}`];
  });
}

export const TipCatalogueSpec = z.strictObject({ tips: z.array(TipSpec) }).check(
  z.superRefine((c, ctx) => {
    for (const message of [...catalogueProblems(c.tips), ...causeProblems(c.tips)])
      ctx.addIssue({ code: 'custom', path: ['tips'], message });
  }),
);

let builtInCache: readonly Tip[] | undefined;
/**
 * The tips that ship with Kept, checked on first use rather than at load (the check costs the Slack
 * function ~15 ms of cold start on every instance, and most never show a tip). A broken catalogue
 * file fails here with zod's issues; tests/unit/domain/tips.test.ts reads it on every run.
 */
export function builtInTips(): readonly Tip[] {
  return (builtInCache ??= Object.freeze(TipCatalogueSpec.parse(raw).tips));
}

// ---------------------------------------------------------------------------------------------
// Admins' changes over the built-in catalogue

/** One stored change (store/tips.ts): a custom tip, an edited built-in one, and/or a retirement. */
export interface TipChange {
  id: string;
  /** A full tip when admins wrote one: `custom` (new) or `edit` (replaces a built-in tip). */
  tip?: Tip;
  source?: 'custom' | 'edit';
  retired?: boolean;
}

export type TipSource = 'built-in' | 'custom' | 'edit';

export interface CatalogueEntry {
  tip: Tip;
  source: TipSource;
  retired: boolean;
}

/**
 * The built-in catalogue with the changes laid over it: an edit replaces its tip, a custom tip
 * is added after the built-in ones (in id order), a retirement marks the tip retired. A change
 * that names neither a built-in tip nor carries a tip of its own is ignored.
 */
export function overlayCatalogue(builtIn: readonly Tip[], changes: readonly TipChange[]): CatalogueEntry[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  const out: CatalogueEntry[] = builtIn.map((tip) => {
    const c = byId.get(tip.id);
    return {
      // An edited built-in tip keeps the causes it was tagged with unless the edit names its own.
      tip: c?.tip ? { ...(tip.causes ? { causes: tip.causes } : {}), ...c.tip, id: tip.id, kind: tip.kind } : tip,
      source: c?.tip ? 'edit' : 'built-in',
      retired: c?.retired === true,
    };
  });
  const builtInIds = new Set(builtIn.map((t) => t.id));
  const custom = changes
    .filter((c) => !builtInIds.has(c.id) && c.tip)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const c of custom) out.push({ tip: { ...c.tip!, id: c.id }, source: 'custom', retired: c.retired === true });
  return out;
}

export const activeTips = (entries: readonly CatalogueEntry[]): Tip[] =>
  entries.filter((e) => !e.retired).map((e) => e.tip);

/** An id for a new tip from its title: `int-` or `cus-` and the title's words, made unique with -2, -3, … */
export function newTipId(kind: TipKind, title: string, taken: ReadonlySet<string>): string {
  const words = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = `${KIND_PREFIX[kind]}-${words || 'tip'}`.slice(0, TIP_ID_MAX - 4).replace(/-+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// ---------------------------------------------------------------------------------------------
// The rotation

/** Week 0 of the rotation: the week of Monday 2024-01-01. Weeks before it count negative. */
export const ROTATION_EPOCH = '2024-W01';
/** Fixed, so the order never changes between deploys; change it only to reshuffle every cycle on purpose. */
export const ROTATION_SALT = 'kept-tips-v1';

/** Weeks from ROTATION_EPOCH to `week`. */
export function weekOrdinal(week: string): number {
  const monday = mondayOfWeek(week);
  if (monday === undefined) throw new RangeError(`not an ISO week: ${week}`);
  return Math.round((monday - mondayOfWeek(ROTATION_EPOCH)!) / (7 * DAY_MS));
}

/** cyrb53: a fast 53-bit string hash; stable across platforms and releases (no randomness). */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export interface RotationOptions {
  salt?: string;
}

/** The tips of one kind in rotation order (a seeded shuffle that depends only on each id). */
export function rotationOrder(
  tips: readonly Tip[],
  kind: TipKind,
  { salt = ROTATION_SALT }: RotationOptions = {},
): Tip[] {
  return tips
    .filter((t) => t.kind === kind)
    .map((t) => ({ t, h: hash53(`${salt}:${t.id}`) }))
    .sort((a, b) => a.h - b.h || (a.t.id < b.t.id ? -1 : a.t.id > b.t.id ? 1 : 0))
    .map(({ t }) => t);
}

export class NoTipsError extends Error {
  constructor(readonly kind: TipKind) {
    super(`there is no active ${kind} tip to show`);
    this.name = 'NoTipsError';
  }
}

/** The tip of one kind for a week. Throws NoTipsError when the kind has no tip (admins cannot retire the last one). */
export function pickTip(catalogue: readonly Tip[], kind: TipKind, week: string, options: RotationOptions = {}): Tip {
  const order = rotationOrder(catalogue, kind, options);
  if (order.length === 0) throw new NoTipsError(kind);
  const k = weekOrdinal(week);
  return order[((k % order.length) + order.length) % order.length]!;
}

/** This week's two tips from a catalogue of active tips (retired ones already left out). */
export function pickTips(
  catalogue: readonly Tip[],
  week: string,
  options: RotationOptions = {},
): { internal: Tip; customer: Tip } {
  return {
    internal: pickTip(catalogue, 'internal', week, options),
    customer: pickTip(catalogue, 'customer', week, options),
  };
}

// ---------------------------------------------------------------------------------------------
// The digest's internal tip, by the week's most frequent cause of a miss

/**
 * The cause recorded most often in `counters` (`cause|<category>`, summed over the week's days of
 * every providing department), or undefined when no miss had a cause. A tie goes to the cause that
 * comes first in CAUSE_CATEGORIES (`other` last), so the choice never depends on reading order.
 */
export function topCause(counters: Counters): CauseCategory | undefined {
  let top: CauseCategory | undefined;
  let most = 0;
  for (const cause of CAUSE_CATEGORIES) {
    const n = counters[`cause|${cause}`] ?? 0;
    if (n > most) {
      top = cause;
      most = n;
    }
  }
  return top;
}

/**
 * The week's internal tip: among the active internal tips tagged with `cause`, the one the usual
 * rotation gives for `week` (stable for the week, each tagged tip in turn); with no cause, or no
 * tip tagged with it, the usual rotation over every internal tip. `because` says which it was.
 */
export function pickInternalTip(
  catalogue: readonly Tip[],
  week: string,
  cause?: CauseCategory,
  options: RotationOptions = {},
): { tip: Tip; because?: CauseCategory } {
  const tagged = cause ? catalogue.filter((t) => t.kind === 'internal' && t.causes?.includes(cause)) : [];
  if (cause && tagged.length > 0) return { tip: pickTip(tagged, 'internal', week, options), because: cause };
  return { tip: pickTip(catalogue, 'internal', week, options) };
}
