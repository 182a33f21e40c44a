/**
 * The `Directory`: every department, every agreement (its active version and any proposal
 * waiting for an answer) and the digest settings, read together in one consistent query.
 * Rules that look across departments and agreements live here. Pure domain code.
 */

import { type AgreementTerms, type AgreementVersion, covers, overlaps } from './agreement';
import type { Weekday } from './calendar-spec';
import { type Department, isHead, isMember } from './department';
import { compareNames } from './name-order';

export interface AgreementRecord {
  id: string;
  /** The highest version number used so far (proposals and declined ones included). */
  latestVersion: number;
  active?: AgreementVersion;
  /** A proposal waiting for the other side's heads. */
  pending?: AgreementVersion;
}

export interface DigestSettings {
  channel: string;
  weekday: Weekday;
  /** Local time, HH:MM. */
  time: string;
  timezone: string;
}

export interface Directory {
  /** Goes up by one with every change to departments or active agreements (optimistic concurrency). */
  rev: number;
  departments: Department[];
  agreements: AgreementRecord[];
  digests: DigestSettings[];
}

export const EMPTY_DIRECTORY: Directory = { rev: 0, departments: [], agreements: [], digests: [] };

export function findDepartment(dir: Directory, id: string): Department | undefined {
  return dir.departments.find((d) => d.id === id);
}

/**
 * The department a person typed: by id first, then by name, both compared with `text` in lower
 * case (ids are lower case; names match whatever their case). `findDepartment` matches the id only.
 */
export function findDepartmentByIdOrName(dir: Directory, text: string): Department | undefined {
  const wanted = text.toLowerCase();
  return findDepartment(dir, wanted) ?? dir.departments.find((d) => d.name.toLowerCase() === wanted);
}

export function findAgreement(dir: Directory, id: string): AgreementRecord | undefined {
  return dir.agreements.find((a) => a.id === id);
}

/** Departments `user` belongs to (as head, member or through the user group). */
export function departmentsOf(dir: Directory, user: string): Department[] {
  return dir.departments.filter((d) => isMember(d, user));
}

export function departmentsHeadedBy(dir: Directory, user: string): Department[] {
  return dir.departments.filter((d) => isHead(d, user));
}

/** Active agreements that bind `department`: as provider, or as customer (named or through `*`). */
export function agreementsBinding(dir: Directory, department: string): AgreementRecord[] {
  return dir.agreements.filter((a) => {
    const terms = a.active ?? a.pending;
    return terms !== undefined && (terms.provider === department || covers(terms, department));
  });
}

/** An active agreement other than `exceptId` that would cover the same requests as `terms`. */
export function conflictingAgreement(
  dir: Directory,
  terms: Pick<AgreementTerms, 'provider' | 'customer' | 'service'>,
  exceptId?: string,
): AgreementVersion | undefined {
  for (const a of dir.agreements) {
    if (a.id === exceptId || !a.active) continue;
    if (overlaps(a.active, terms)) return a.active;
  }
  return undefined;
}

/** Service name by agreement id (the active version's, else the waiting proposal's): how reports name agreements. */
export function agreementNames(dir: Directory): Record<string, string> {
  const names: Record<string, string> = {};
  for (const a of dir.agreements) {
    const service = a.active?.service ?? a.pending?.service;
    if (service) names[a.id] = service;
  }
  return names;
}

/** An agreement a person may file under, and the department they file for. */
export interface FilingChoice {
  agreement: AgreementVersion;
  provider: Department;
  /** The requester's department the agreement covers (their first one, if several). */
  customer: string;
}

/**
 * What `user` may file: active agreements covering one of their departments, from a provider that
 * is not that same department. Sorted by provider name, then service.
 */
export function filingChoices(dir: Directory, user: string): FilingChoice[] {
  const mine = departmentsOf(dir, user);
  const choices: FilingChoice[] = [];
  for (const record of dir.agreements) {
    const agreement = record.active;
    if (!agreement) continue;
    const provider = findDepartment(dir, agreement.provider);
    const customer = mine.find((d) => d.id !== agreement.provider && covers(agreement, d.id));
    if (provider && customer) choices.push({ agreement, provider, customer: customer.id });
  }
  return choices.sort(
    (a, b) => compareNames(a.provider.name, b.provider.name) || compareNames(a.agreement.service, b.agreement.service),
  );
}
