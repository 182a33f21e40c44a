/**
 * Agreements as code: the import file (departments, agreements, digest, tips) and every rule it
 * must meet with the path of each problem. The plan of changes it makes against what Kept already
 * keeps is in import-plan.ts. Pure domain code.
 */
import { IANAZone } from 'luxon';
import * as z from '../zod';
import { type AgreementTerms, EVERY_DEPARTMENT, overlaps } from './agreement';
import { AgreementSpec, termsFromSpec } from './agreement-spec';
import { WEEKDAYS } from './calendar-spec';
import { isChannelId } from './department';
import { DepartmentSpec, departmentFromSpec } from './department-spec';
import type { DigestSettings, Directory } from './directory';
import { type Issue, issuesOf, shown } from './issues';
import { checkMetricEntries, type MetricValue } from './loyalty';
import {
  builtInTips,
  type CatalogueEntry,
  KIND_PREFIX,
  overlayCatalogue,
  TIP_BODY_MAX,
  TIP_ID,
  TIP_ID_MAX,
  TIP_KINDS,
  TIP_TITLE_MAX,
  TIP_TRY_MAX,
  type Tip,
  type TipKind,
  TipSpec,
} from './tips';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const DigestSpec = z.strictObject(
  {
    channel: z
      .string({
        error: (iss) =>
          iss.input === undefined
            ? 'channel is required: the digest is posted there'
            : `${shown(iss.input)} is not a Slack channel ID`,
      })
      .check(
        z.refine(isChannelId, {
          error: (iss) =>
            `${shown(iss.input)} is not a Slack channel ID; open the channel's details and copy the ID at the bottom, e.g. C0GENERAL`,
        }),
      ),
    weekday: z.enum(WEEKDAYS, {
      error: (iss) => `${shown(iss.input)} is not a weekday; use mon, tue, wed, thu, fri, sat or sun`,
    }),
    time: z
      .string({
        error: (iss) => `${shown(iss.input)} is not a time; write HH:MM in 24-hour form, e.g. "09:00" (quoted in YAML)`,
      })
      .check(
        z.refine((t) => HHMM.test(t), {
          error: (iss) => `${shown(iss.input)} is not a time; write HH:MM in 24-hour form, e.g. "09:00"`,
        }),
      ),
    timezone: z.string({ error: (iss) => `${shown(iss.input)} is not a timezone` }).check(
      z.refine((zone) => IANAZone.isValidZone(zone), {
        error: (iss) =>
          `${shown(iss.input)} is not a known IANA timezone; use a name like Europe/Berlin or America/New_York`,
      }),
    ),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a digest field; use channel, weekday, time, timezone`
        : 'must be digest settings like { channel: C0GENERAL, weekday: mon, time: "09:00", timezone: America/New_York }',
  },
);

const list = <T extends z.core.SomeType>(item: T, what: string) =>
  z.array(item, { error: `must be a list of ${what} (each line starting with "- ")` });

const DigestListSpec = list(DigestSpec, 'digest settings');

/** The kind an id's prefix names (`int-…` internal, `cus-…` customer), if any. */
export function tipKindOfId(id: string): TipKind | undefined {
  return TIP_KINDS.find((k) => id.startsWith(`${KIND_PREFIX[k]}-`));
}

const tipText = (field: string, min: number, max: number) =>
  z
    .string({ error: (iss) => `${field} must be text, not ${shown(iss.input)}` })
    .check(
      z.trim(),
      z.minLength(min, `${field} needs at least ${min} characters`),
      z.maxLength(max, `${field} must be at most ${max} characters`),
    );

const TipFileSpec = z.strictObject(
  {
    id: z
      .string({
        error: (iss) =>
          iss.input === undefined
            ? "id is required: a built-in tip's id, or a new one starting int- or cus-"
            : `${shown(iss.input)} is not a tip id`,
      })
      .check(
        z.maxLength(TIP_ID_MAX, { error: `is longer than ${TIP_ID_MAX} characters`, abort: true }),
        z.regex(TIP_ID, {
          error: (iss) =>
            `${shown(iss.input)} is not a tip id; use lowercase letters, digits and single hyphens, like int-handoff-note`,
          abort: true,
        }),
        z.refine((id) => tipKindOfId(id) !== undefined, {
          error: (iss) =>
            `${shown(iss.input)} does not start with int- (serving colleagues) or cus- (serving customers)`,
        }),
      ),
    kind: z.optional(
      z.enum(TIP_KINDS, { error: (iss) => `${shown(iss.input)} is not a kind of tip; use internal or customer` }),
    ),
    title: z.optional(tipText('title', 3, TIP_TITLE_MAX).check(z.regex(/^[^\r\n]*$/, 'title must be one line'))),
    body: z.optional(tipText('body', 40, TIP_BODY_MAX)),
    try_this_week: z.optional(tipText('try_this_week', 15, TIP_TRY_MAX)),
    retired: z.optional(z.boolean({ error: (iss) => `${shown(iss.input)} is not true or false` })),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a tip field; use id, kind, title, body, try_this_week, retired`
        : 'must be a tip like { id: cus-first-thirty-seconds, retired: true }',
  },
);
type TipFileEntry = z.infer<typeof TipFileSpec>;

/** A tip as the file names it: its id and kind, the words it gives (each optional) and the retirement it asks for. */
export interface TipImport {
  id: string;
  kind: TipKind;
  title?: string;
  body?: string;
  tryThisWeek?: string;
  retired?: boolean;
}

/** The catalogue as Kept ships it, before any admin's change: what validation and planning assume when not told. */
let catalogueCache: readonly CatalogueEntry[] | undefined;
export function builtInCatalogue(): readonly CatalogueEntry[] {
  return (catalogueCache ??= Object.freeze(overlayCatalogue(builtInTips(), [])));
}

/** The tip a file entry makes of a kept one (or of nothing, for a new id): the words given replace, the others stay. */
export function tipOf(t: TipImport, kept: Tip | undefined): Partial<Tip> & { id: string; kind: TipKind } {
  return {
    ...kept,
    id: t.id,
    kind: kept?.kind ?? t.kind,
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.body !== undefined ? { body: t.body } : {}),
    ...(t.tryThisWeek !== undefined ? { tryThisWeek: t.tryThisWeek } : {}),
  };
}

export const ImportFileSpec = z.strictObject(
  {
    departments: z.optional(list(DepartmentSpec, 'departments')),
    agreements: z.optional(list(AgreementSpec, 'agreements')),
    // One settings object or a list of them; checked on its own below so problems name their field.
    digest: z.optional(z.unknown()),
    tips: z.optional(list(TipFileSpec, 'tips')),
    // Front-line departments' weekly customer figures; checked on their own (loyalty.ts).
    metrics: z.optional(z.unknown()),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a section of the file; use departments, agreements, digest, tips, metrics`
        : 'the file must be a mapping with the sections departments, agreements, digest, tips and/or metrics',
  },
);

export interface ImportFile {
  departments: DepartmentSpec[];
  agreements: (AgreementTerms & { id: string })[];
  digests: DigestSettings[];
  tips: TipImport[];
  /** Weekly figures of front-line departments' customers (a week given again replaces its value). */
  metrics: MetricValue[];
}

/**
 * Checks the whole file: its shape, then what only makes sense together (unique ids and
 * prefixes, departments that exist, agreements that do not cover the same requests, tips that
 * exist or are written in full, a kind left with a tip in rotation). `tips` is every tip Kept
 * keeps (store/tips.ts readAllTips); left out, the built-in catalogue without changes.
 * Returns every problem, not only the first.
 */
export function validateImport(
  raw: unknown,
  dir: Directory,
  tips: readonly CatalogueEntry[] = builtInCatalogue(),
): { ok: true; value: ImportFile } | { ok: false; error: Issue[] } {
  if (raw === null || raw === undefined)
    return {
      ok: false,
      error: [{ path: [], message: 'the file is empty; give departments, agreements, digest, tips and/or metrics' }],
    };
  const parsed = ImportFileSpec.safeParse(raw);
  const digestInput = parsed.success ? parsed.data.digest : (raw as { digest?: unknown } | null)?.digest;
  const digestParsed =
    digestInput === undefined
      ? undefined
      : Array.isArray(digestInput)
        ? DigestListSpec.safeParse(digestInput)
        : DigestSpec.safeParse(digestInput);
  // References and duplicates are checked on the raw file too, so one run lists every problem.
  const issues: Issue[] = [
    ...(parsed.success ? [] : issuesOf(parsed.error)),
    ...(digestParsed && !digestParsed.success && typeof raw === 'object' && !Array.isArray(raw)
      ? issuesOf(digestParsed.error, ['digest'])
      : []),
    ...checkReferences(raw, dir),
    ...checkTips(raw, tips),
  ];
  const metrics = checkMetrics(raw, dir);
  if (!metrics.ok) issues.push(...metrics.error);
  if (!parsed.success || (digestParsed && !digestParsed.success)) return { ok: false, error: issues };
  const departments = parsed.data.departments ?? [];
  const agreements = (parsed.data.agreements ?? []).map((a) => ({ id: a.id, ...termsFromSpec(a) }));
  const digestData = digestParsed?.data;
  const digests: DigestSettings[] =
    digestData === undefined ? [] : Array.isArray(digestData) ? digestData : [digestData];
  const deptIds = new Set(departments.map((d) => d.id));
  const tipImports: TipImport[] = (parsed.data.tips ?? []).map((t) => tipImportOf(t));

  // A tip the file writes must still be a tip: the words it gives together with those it keeps.
  tipImports.forEach((t, i) => {
    const kept = tips.find((e) => e.tip.id === t.id)?.tip;
    if (!kept && (t.title === undefined || t.body === undefined || t.tryThisWeek === undefined)) return; // reported by checkTips
    if (t.title === undefined && t.body === undefined && t.tryThisWeek === undefined) return;
    const checked = TipSpec.safeParse(tipOf(t, kept));
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = issue.path[0] === 'tryThisWeek' ? 'try_this_week' : issue.path[0];
        issues.push({ path: ['tips', i, ...(field === undefined ? [] : [field])], message: issue.message });
      }
    }
  });

  // Request-ID prefixes must be unique among all departments, the ones in the file and the ones kept.
  const prefixOwner = new Map<string, string>();
  for (const kept of dir.departments) if (!deptIds.has(kept.id)) prefixOwner.set(kept.prefix, kept.id);
  departments.forEach((d, i) => {
    const prefix = departmentFromSpec(d).prefix;
    const owner = prefixOwner.get(prefix);
    if (owner !== undefined && owner !== d.id) {
      issues.push({
        path: ['departments', i, d.prefix ? 'prefix' : 'id'],
        message: `request IDs of ${d.id} would start ${prefix}-, like those of ${owner}; give it its own prefix`,
      });
    } else prefixOwner.set(prefix, d.id);
  });

  // No two agreements may cover the same requests: within the file, and against kept active
  // agreements the file does not replace.
  const fileIds = new Set(agreements.map((a) => a.id));
  agreements.forEach((a, i) => {
    for (let j = 0; j < i; j++) {
      if (agreements[j]!.id !== a.id && overlaps(agreements[j]!, a)) {
        issues.push({
          path: ['agreements', i, 'service'],
          message: `covers the same requests as agreements[${j}] (${describeMatch(a)}); merge them or name the services apart`,
        });
      }
    }
    for (const kept of dir.agreements) {
      if (kept.active && !fileIds.has(kept.id) && overlaps(kept.active, a)) {
        issues.push({
          path: ['agreements', i, 'service'],
          message: `covers the same requests as the active agreement ${kept.id} (${describeMatch(a)}); change that agreement (use its id) or name the services apart`,
        });
      }
    }
  });

  if (issues.length > 0) return { ok: false, error: issues };
  return {
    ok: true,
    value: { departments, agreements, digests, tips: tipImports, metrics: metrics.ok ? metrics.value : [] },
  };
}

/** The `metrics` section: a list of weekly figures of departments in the file or in Kept. */
function checkMetrics(
  raw: unknown,
  dir: Directory,
): { ok: true; value: MetricValue[] } | { ok: false; error: Issue[] } {
  const section = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).metrics : undefined;
  if (section === undefined) return { ok: true, value: [] };
  if (!Array.isArray(section))
    return {
      ok: false,
      error: [{ path: ['metrics'], message: 'must be a list of weekly figures (each line starting with "- ")' }],
    };
  const known = [
    ...dir.departments.map((d) => d.id),
    ...entries((raw as Record<string, unknown>).departments).flatMap(([, d]) =>
      typeof d.id === 'string' ? [d.id] : [],
    ),
  ];
  const checked = checkMetricEntries(section, [...new Set(known)], (i) => `metrics[${i}]`);
  return checked.ok
    ? checked
    : { ok: false, error: checked.error.map((e) => ({ path: ['metrics', ...e.path], message: e.message })) };
}

function tipImportOf(t: TipFileEntry): TipImport {
  return {
    id: t.id,
    kind: t.kind ?? tipKindOfId(t.id)!,
    ...(t.title !== undefined ? { title: t.title } : {}),
    ...(t.body !== undefined ? { body: t.body } : {}),
    ...(t.try_this_week !== undefined ? { tryThisWeek: t.try_this_week } : {}),
    ...(t.retired !== undefined ? { retired: t.retired } : {}),
  };
}

const NEW_TIP_FIELDS = ['title', 'body', 'try_this_week'] as const;

/**
 * Tips across the file, read from the raw entries (values of the wrong type are left to the shape
 * check): ids listed once, a kind that matches the id, new tips written in full, and no kind left
 * without a tip in rotation.
 */
function checkTips(raw: unknown, kept: readonly CatalogueEntry[]): Issue[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const issues: Issue[] = [];
  const keptById = new Map(kept.map((e) => [e.tip.id, e]));
  const tipAt = new Map<string, number>();
  // Whether each tip is in rotation after the import, and which entry last retired one of a kind.
  const active = new Map(kept.map((e) => [e.tip.id, { kind: e.tip.kind, active: !e.retired }]));
  const lastRetiring = new Map<TipKind, number>();
  for (const [i, t] of entries((raw as Record<string, unknown>).tips)) {
    if (typeof t.id !== 'string' || t.id.length > TIP_ID_MAX || !TIP_ID.test(t.id)) continue;
    const prefixKind = tipKindOfId(t.id);
    if (prefixKind === undefined) continue;
    const first = tipAt.get(t.id);
    if (first !== undefined) {
      issues.push({ path: ['tips', i, 'id'], message: `${shown(t.id)} is listed twice (also tips[${first}])` });
      continue;
    }
    tipAt.set(t.id, i);
    const entry = keptById.get(t.id);
    const kind = entry?.tip.kind ?? prefixKind;
    if (typeof t.kind === 'string' && (TIP_KINDS as readonly string[]).includes(t.kind) && t.kind !== kind) {
      issues.push({
        path: ['tips', i, 'kind'],
        message: `${shown(t.kind)} does not match the id ${t.id}: ids of ${kind} tips start ${KIND_PREFIX[kind]}-`,
      });
    }
    if (!entry) {
      for (const field of NEW_TIP_FIELDS) {
        if (t[field] === undefined)
          issues.push({
            path: ['tips', i, field],
            message: `${field} is required: ${t.id} is a new tip (it is not one of Kept's tips yet)`,
          });
      }
    }
    const now = active.get(t.id) ?? { kind, active: true };
    if (t.retired === true) {
      active.set(t.id, { kind, active: false });
      if (now.active) lastRetiring.set(kind, i);
    } else if (t.retired === false) active.set(t.id, { kind, active: true });
    else active.set(t.id, now);
  }
  for (const [kind, i] of lastRetiring) {
    if (![...active.values()].some((a) => a.kind === kind && a.active)) {
      issues.push({
        path: ['tips', i, 'retired'],
        message: `would retire the last ${kind} tip in rotation; keep at least one of each kind`,
      });
    }
  }
  return issues;
}

const entries = (value: unknown): [number, Record<string, unknown>][] =>
  Array.isArray(value)
    ? value.flatMap((v, i) =>
        v !== null && typeof v === 'object'
          ? [[i, v as Record<string, unknown>] as [number, Record<string, unknown>]]
          : [],
      )
    : [];

/** Duplicate ids and unknown departments, read from the raw file (fields that are not text are left to the shape check). */
function checkReferences(raw: unknown, dir: Directory): Issue[] {
  if (raw === null || typeof raw !== 'object') return [];
  const file = raw as Record<string, unknown>;
  const issues: Issue[] = [];
  const deptAt = new Map<string, number>();
  for (const [i, d] of entries(file.departments)) {
    if (typeof d.id !== 'string') continue;
    const first = deptAt.get(d.id);
    if (first !== undefined)
      issues.push({
        path: ['departments', i, 'id'],
        message: `${shown(d.id)} is listed twice (also departments[${first}])`,
      });
    else deptAt.set(d.id, i);
  }
  const known = new Set([...dir.departments.map((d) => d.id), ...deptAt.keys()]);
  const knownList = [...known].sort().join(', ') || 'none yet';
  const agreementAt = new Map<string, number>();
  for (const [i, a] of entries(file.agreements)) {
    if (typeof a.id === 'string') {
      const first = agreementAt.get(a.id);
      if (first !== undefined)
        issues.push({
          path: ['agreements', i, 'id'],
          message: `${shown(a.id)} is listed twice (also agreements[${first}])`,
        });
      else agreementAt.set(a.id, i);
    }
    if (typeof a.provider === 'string' && !known.has(a.provider)) {
      issues.push({
        path: ['agreements', i, 'provider'],
        message: `${shown(a.provider)} is not a department in this file or in Kept; known: ${knownList}`,
      });
    }
    if (typeof a.customer === 'string' && a.customer !== EVERY_DEPARTMENT) {
      if (!known.has(a.customer)) {
        issues.push({
          path: ['agreements', i, 'customer'],
          message: `${shown(a.customer)} is not a department in this file or in Kept; known: ${knownList}, or "*" for every department`,
        });
      } else if (a.customer === a.provider) {
        issues.push({
          path: ['agreements', i, 'customer'],
          message: `${shown(a.customer)} is the provider too; an agreement is between two departments`,
        });
      }
    }
  }
  // A front-line department's declared agreements must be agreements in the file or in Kept.
  const agreementIds = new Set([...dir.agreements.map((a) => a.id), ...agreementAt.keys()]);
  for (const [i, d] of entries(file.departments)) {
    if (!Array.isArray(d.serves_customers_through)) continue;
    d.serves_customers_through.forEach((id: unknown, j: number) => {
      if (typeof id === 'string' && !agreementIds.has(id))
        issues.push({
          path: ['departments', i, 'serves_customers_through', j],
          message: `${shown(id)} is not an agreement in this file or in Kept; name the agreements that serve this department's customers`,
        });
    });
  }
  const digestAt = new Map<string, number>();
  for (const [i, d] of entries(file.digest)) {
    if (typeof d.channel !== 'string') continue;
    const first = digestAt.get(d.channel);
    if (first !== undefined)
      issues.push({
        path: ['digest', i, 'channel'],
        message: `${d.channel} is listed twice (also digest[${first}]); a channel gets one digest a week`,
      });
    else digestAt.set(d.channel, i);
  }
  return issues;
}

function describeMatch(a: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>): string {
  return `${a.provider} -> ${a.customer === EVERY_DEPARTMENT ? 'every department' : a.customer}, ${JSON.stringify(a.service)}`;
}
