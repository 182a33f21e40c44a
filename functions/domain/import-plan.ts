/**
 * The plan of an import: what a checked import file (import-file.ts) changes against what Kept
 * already keeps, each change named so the caller can show it and then save it
 * (functions/store/import.ts). Importing the same file twice plans nothing the second time.
 * Pure domain code.
 */
import type { AgreementVersion } from './agreement';
import { sameTerms } from './agreement-spec';
import type { Department } from './department';
import { departmentFromSpec, specOfDepartment } from './department-spec';
import { type DigestSettings, type Directory, findDepartment } from './directory';
import { builtInCatalogue, type ImportFile, tipOf } from './import-file';
import type { MetricValue } from './loyalty';
import { sameValue } from './same-value';
import type { CatalogueEntry, Tip } from './tips';

export type ImportChange =
  | { kind: 'department.create'; department: Department }
  | { kind: 'department.update'; department: Department }
  | { kind: 'agreement.activate'; agreement: AgreementVersion; retires?: number; withdraws?: number }
  | { kind: 'digest.set'; digest: DigestSettings }
  | { kind: 'tip.add'; tip: Tip }
  | { kind: 'tip.edit'; tip: Tip; source: 'custom' | 'edit' }
  | { kind: 'tip.retire'; id: string; title: string }
  | { kind: 'tip.unretire'; id: string; title: string }
  | { kind: 'metric.set'; value: MetricValue; replaces?: number };

export interface ImportPlan {
  changes: ImportChange[];
  unchanged: number;
}

/**
 * What the file changes: new or edited departments, agreements whose terms differ from the
 * active version (a new active version; a waiting proposal is withdrawn), digest settings.
 * Imported agreements are active at once: the file is the agreement both sides signed off.
 * Tips are compared with `tips`, every tip Kept keeps (as for validateImport): a new id is
 * added, changed words are saved, and a `retired` that differs retires or brings back.
 */
export function planImport(
  file: ImportFile,
  dir: Directory,
  now: string,
  tips: readonly CatalogueEntry[] = builtInCatalogue(),
  /** The weekly figures Kept keeps of the departments the file's `metrics` name (store/metrics.ts readMetrics). */
  keptMetrics: readonly MetricValue[] = [],
): ImportPlan {
  const changes: ImportChange[] = [];
  let unchanged = 0;
  for (const spec of file.departments) {
    const kept = findDepartment(dir, spec.id);
    const department = departmentFromSpec(spec, kept);
    if (!kept) changes.push({ kind: 'department.create', department });
    // Compared by value: DynamoDB gives maps back with their keys in any order.
    else if (!sameValue(specOfDepartment(kept), specOfDepartment(department)))
      changes.push({ kind: 'department.update', department });
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
  for (const t of file.tips) {
    const kept = tips.find((e) => e.tip.id === t.id);
    const tip = tipOf(t, kept?.tip) as Tip;
    const before = changes.length;
    if (!kept) changes.push({ kind: 'tip.add', tip });
    else if (!sameTip(kept.tip, tip))
      changes.push({ kind: 'tip.edit', tip, source: kept.source === 'custom' ? 'custom' : 'edit' });
    const retired = kept?.retired ?? false;
    if (t.retired !== undefined && t.retired !== retired)
      changes.push({ kind: t.retired ? 'tip.retire' : 'tip.unretire', id: t.id, title: tip.title });
    if (changes.length === before) unchanged++;
  }
  for (const value of file.metrics) {
    const kept = keptMetrics.find(
      (k) => k.department === value.department && k.metric === value.metric && k.week === value.week,
    );
    if (kept?.value === value.value) unchanged++;
    else changes.push({ kind: 'metric.set', value, ...(kept ? { replaces: kept.value } : {}) });
  }
  return { changes, unchanged };
}

const sameTip = (a: Tip, b: Tip): boolean =>
  a.title === b.title && a.body === b.body && a.tryThisWeek === b.tryThisWeek;

const sameDigest = (a: DigestSettings, b: DigestSettings): boolean =>
  a.channel === b.channel && a.weekday === b.weekday && a.time === b.time && a.timezone === b.timezone;

/**
 * Whom a change's target advice (advice.ts) is about, when it sets targets that are new or
 * changed: the provider (from Kept or created by the same plan) and, when the active version of
 * the same provider is being changed, the agreement, whose own history then counts.
 */
export function adviceTarget(
  plan: ImportPlan,
  c: ImportChange,
  dir: Directory,
): { provider: { id: string; timezone: string }; providerName: string; agreement?: string } | undefined {
  if (c.kind !== 'agreement.activate') return undefined;
  const active = dir.agreements.find((a) => a.id === c.agreement.id)?.active;
  if (active && sameValue(active.targets, c.agreement.targets)) return undefined;
  const id = c.agreement.provider;
  const provider =
    plan.changes.flatMap((x) =>
      (x.kind === 'department.create' || x.kind === 'department.update') && x.department.id === id
        ? [x.department]
        : [],
    )[0] ?? findDepartment(dir, id);
  if (!provider) return undefined;
  return {
    provider: { id, timezone: provider.calendar.timezone },
    providerName: provider.name,
    ...(active?.provider === id ? { agreement: c.agreement.id } : {}),
  };
}
