/**
 * Agreements as code: the import file (departments, agreements, digest), every rule it must
 * meet with the path of each problem, and the plan of changes it makes against what Kept
 * already keeps. Importing the same file twice plans nothing the second time. Pure domain code.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { sameValue } from './same-value';
import { WEEKDAYS } from './calendar-spec';
import {
  AgreementSpec,
  EVERY_DEPARTMENT,
  overlaps,
  sameTerms,
  termsFromSpec,
  type AgreementTerms,
  type AgreementVersion,
} from './agreement';
import { DepartmentSpec, departmentFromSpec, isChannelId, specOfDepartment, type Department } from './department';
import { findDepartment, type DigestSettings, type Directory } from './directory';
import { issuesOf, shown, type Issue } from './issues';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const DigestSpec = z.strictObject(
  {
    channel: z
      .string({ error: (iss) => (iss.input === undefined ? 'channel is required: the digest is posted there' : `${shown(iss.input)} is not a Slack channel ID`) })
      .refine(isChannelId, { error: (iss) => `${shown(iss.input)} is not a Slack channel ID; open the channel's details and copy the ID at the bottom, e.g. C0GENERAL` }),
    weekday: z.enum(WEEKDAYS, { error: (iss) => `${shown(iss.input)} is not a weekday; use mon, tue, wed, thu, fri, sat or sun` }),
    time: z
      .string({ error: (iss) => `${shown(iss.input)} is not a time; write HH:MM in 24-hour form, e.g. "09:00" (quoted in YAML)` })
      .refine((t) => HHMM.test(t), { error: (iss) => `${shown(iss.input)} is not a time; write HH:MM in 24-hour form, e.g. "09:00"` }),
    timezone: z
      .string({ error: (iss) => `${shown(iss.input)} is not a timezone` })
      .refine((zone) => IANAZone.isValidZone(zone), { error: (iss) => `${shown(iss.input)} is not a known IANA timezone; use a name like Europe/Berlin or America/New_York` }),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a digest field; use channel, weekday, time, timezone`
        : 'must be digest settings like { channel: C0GENERAL, weekday: mon, time: "09:00", timezone: America/New_York }',
  },
);

const list = <T extends z.ZodType>(item: T, what: string) => z.array(item, { error: `must be a list of ${what} (each line starting with "- ")` });

const DigestListSpec = list(DigestSpec, 'digest settings');

export const ImportFileSpec = z.strictObject(
  {
    departments: list(DepartmentSpec, 'departments').optional(),
    agreements: list(AgreementSpec, 'agreements').optional(),
    // One settings object or a list of them; checked on its own below so problems name their field.
    digest: z.unknown().optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${iss.keys.map((k) => JSON.stringify(k)).join(', ')} is not a section of the file; use departments, agreements, digest`
        : 'the file must be a mapping with the sections departments, agreements and/or digest',
  },
);

export interface ImportFile {
  departments: DepartmentSpec[];
  agreements: (AgreementTerms & { id: string })[];
  digests: DigestSettings[];
}

/**
 * Checks the whole file: its shape, then what only makes sense together (unique ids and
 * prefixes, departments that exist, agreements that do not cover the same requests).
 * Returns every problem, not only the first.
 */
export function validateImport(raw: unknown, dir: Directory): { ok: true; value: ImportFile } | { ok: false; error: Issue[] } {
  if (raw === null || raw === undefined) return { ok: false, error: [{ path: [], message: 'the file is empty; give departments, agreements and/or digest' }] };
  const parsed = ImportFileSpec.safeParse(raw);
  const digestInput = parsed.success ? parsed.data.digest : (raw as { digest?: unknown } | null)?.digest;
  const digestParsed = digestInput === undefined ? undefined : Array.isArray(digestInput) ? DigestListSpec.safeParse(digestInput) : DigestSpec.safeParse(digestInput);
  // References and duplicates are checked on the raw file too, so one run lists every problem.
  const issues: Issue[] = [
    ...(parsed.success ? [] : issuesOf(parsed.error)),
    ...(digestParsed && !digestParsed.success && typeof raw === 'object' && !Array.isArray(raw) ? issuesOf(digestParsed.error, ['digest']) : []),
    ...checkReferences(raw, dir),
  ];
  if (!parsed.success || (digestParsed && !digestParsed.success)) return { ok: false, error: issues };
  const departments = parsed.data.departments ?? [];
  const agreements = (parsed.data.agreements ?? []).map((a) => ({ id: a.id, ...termsFromSpec(a) }));
  const digestData = digestParsed?.data;
  const digests: DigestSettings[] = digestData === undefined ? [] : Array.isArray(digestData) ? digestData : [digestData];
  const deptIds = new Set(departments.map((d) => d.id));

  // Request-ID prefixes must be unique among all departments, the ones in the file and the ones kept.
  const prefixOwner = new Map<string, string>();
  for (const kept of dir.departments) if (!deptIds.has(kept.id)) prefixOwner.set(kept.prefix, kept.id);
  departments.forEach((d, i) => {
    const prefix = departmentFromSpec(d).prefix;
    const owner = prefixOwner.get(prefix);
    if (owner !== undefined && owner !== d.id) {
      issues.push({ path: ['departments', i, d.prefix ? 'prefix' : 'id'], message: `request IDs of ${d.id} would start ${prefix}-, like those of ${owner}; give it its own prefix` });
    } else prefixOwner.set(prefix, d.id);
  });

  // No two agreements may cover the same requests: within the file, and against kept active
  // agreements the file does not replace.
  const fileIds = new Set(agreements.map((a) => a.id));
  agreements.forEach((a, i) => {
    for (let j = 0; j < i; j++) {
      if (agreements[j]!.id !== a.id && overlaps(agreements[j]!, a)) {
        issues.push({ path: ['agreements', i, 'service'], message: `covers the same requests as agreements[${j}] (${describeMatch(a)}); merge them or name the services apart` });
      }
    }
    for (const kept of dir.agreements) {
      if (kept.active && !fileIds.has(kept.id) && overlaps(kept.active, a)) {
        issues.push({ path: ['agreements', i, 'service'], message: `covers the same requests as the active agreement ${kept.id} (${describeMatch(a)}); change that agreement (use its id) or name the services apart` });
      }
    }
  });

  if (issues.length > 0) return { ok: false, error: issues };
  return { ok: true, value: { departments, agreements, digests } };
}

const entries = (value: unknown): [number, Record<string, unknown>][] =>
  Array.isArray(value) ? value.flatMap((v, i) => (v !== null && typeof v === 'object' ? [[i, v as Record<string, unknown>] as [number, Record<string, unknown>]] : [])) : [];

/** Duplicate ids and unknown departments, read from the raw file (fields that are not text are left to the shape check). */
function checkReferences(raw: unknown, dir: Directory): Issue[] {
  if (raw === null || typeof raw !== 'object') return [];
  const file = raw as Record<string, unknown>;
  const issues: Issue[] = [];
  const deptAt = new Map<string, number>();
  for (const [i, d] of entries(file.departments)) {
    if (typeof d.id !== 'string') continue;
    const first = deptAt.get(d.id);
    if (first !== undefined) issues.push({ path: ['departments', i, 'id'], message: `${shown(d.id)} is listed twice (also departments[${first}])` });
    else deptAt.set(d.id, i);
  }
  const known = new Set([...dir.departments.map((d) => d.id), ...deptAt.keys()]);
  const knownList = [...known].sort().join(', ') || 'none yet';
  const agreementAt = new Map<string, number>();
  for (const [i, a] of entries(file.agreements)) {
    if (typeof a.id === 'string') {
      const first = agreementAt.get(a.id);
      if (first !== undefined) issues.push({ path: ['agreements', i, 'id'], message: `${shown(a.id)} is listed twice (also agreements[${first}])` });
      else agreementAt.set(a.id, i);
    }
    if (typeof a.provider === 'string' && !known.has(a.provider)) {
      issues.push({ path: ['agreements', i, 'provider'], message: `${shown(a.provider)} is not a department in this file or in Kept; known: ${knownList}` });
    }
    if (typeof a.customer === 'string' && a.customer !== EVERY_DEPARTMENT) {
      if (!known.has(a.customer)) {
        issues.push({ path: ['agreements', i, 'customer'], message: `${shown(a.customer)} is not a department in this file or in Kept; known: ${knownList}, or "*" for every department` });
      } else if (a.customer === a.provider) {
        issues.push({ path: ['agreements', i, 'customer'], message: `${shown(a.customer)} is the provider too; an agreement is between two departments` });
      }
    }
  }
  const digestAt = new Map<string, number>();
  for (const [i, d] of entries(file.digest)) {
    if (typeof d.channel !== 'string') continue;
    const first = digestAt.get(d.channel);
    if (first !== undefined) issues.push({ path: ['digest', i, 'channel'], message: `${d.channel} is listed twice (also digest[${first}]); a channel gets one digest a week` });
    else digestAt.set(d.channel, i);
  }
  return issues;
}

function describeMatch(a: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>): string {
  return `${a.provider} -> ${a.customer === EVERY_DEPARTMENT ? 'every department' : a.customer}, ${JSON.stringify(a.service)}`;
}

// ---------------------------------------------------------------------------------------------
// The plan

export type ImportChange =
  | { kind: 'department.create'; department: Department }
  | { kind: 'department.update'; department: Department }
  | { kind: 'agreement.activate'; agreement: AgreementVersion; retires?: number; withdraws?: number }
  | { kind: 'digest.set'; digest: DigestSettings };

export interface ImportPlan {
  changes: ImportChange[];
  unchanged: number;
}

/**
 * What the file changes: new or edited departments, agreements whose terms differ from the
 * active version (a new active version; a waiting proposal is withdrawn), digest settings.
 * Imported agreements are active at once: the file is the agreement both sides signed off.
 */
export function planImport(file: ImportFile, dir: Directory, now: string): ImportPlan {
  const changes: ImportChange[] = [];
  let unchanged = 0;
  for (const spec of file.departments) {
    const kept = findDepartment(dir, spec.id);
    const department = departmentFromSpec(spec, kept);
    if (!kept) changes.push({ kind: 'department.create', department });
    // Compared by value: DynamoDB gives maps back with their keys in any order.
    else if (!sameValue(specOfDepartment(kept), specOfDepartment(department))) changes.push({ kind: 'department.update', department });
    else unchanged++;
  }
  for (const { id, ...terms } of file.agreements) {
    const kept = dir.agreements.find((a) => a.id === id);
    if (kept?.active && sameTerms(kept.active, terms)) {
      unchanged++;
      continue;
    }
    const version = (kept?.latestVersion ?? 0) + 1;
    changes.push({
      kind: 'agreement.activate',
      agreement: { id, version, ...terms, status: 'active', createdAt: now, createdBy: 'import', activatedAt: now },
      ...(kept?.active ? { retires: kept.active.version } : {}),
      ...(kept?.pending ? { withdraws: kept.pending.version } : {}),
    });
  }
  for (const digest of file.digests) {
    const kept = dir.digests.find((d) => d.channel === digest.channel);
    if (kept && sameDigest(kept, digest)) unchanged++;
    else changes.push({ kind: 'digest.set', digest });
  }
  return { changes, unchanged };
}

const sameDigest = (a: DigestSettings, b: DigestSettings): boolean =>
  a.channel === b.channel && a.weekday === b.weekday && a.time === b.time && a.timezone === b.timezone;
