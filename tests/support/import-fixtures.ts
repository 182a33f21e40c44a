/**
 * Broken import files (tests/fixtures/import/*.yaml), each with the exact lines the validation
 * must print for it. A fixture starts with header comments:
 *
 *   # expect: agreements[0].targets.P2.resolution: "16x" is not a duration; use forms like 30m, 4h, 1h30m
 *   # directory: kept-it
 *
 * `expect` lines are the problems in order, as `issueLine` writes them (no CLI prefix);
 * `directory` names what Kept already keeps when the file is checked (`empty` if left out).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgreementVersion } from '../../functions/domain/agreement';
import type { Department } from '../../functions/domain/department';
import { type Directory, EMPTY_DIRECTORY } from '../../functions/domain/directory';
import { HOUR_MS } from '../../functions/domain/duration';

export const IMPORT_FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'import');

export type FixtureDirectory = 'empty' | 'kept-it';

export interface ImportFixture {
  /** The file name without `.yaml`, e.g. `duration-not-a-duration`. */
  name: string;
  path: string;
  text: string;
  /** The problem lines, in order, without any prefix. */
  expected: string[];
  directory: FixtureDirectory;
}

const DIRECTORIES: readonly FixtureDirectory[] = ['empty', 'kept-it'];

/** Reads the leading comment block of a fixture. */
export function readFixtureHeader(text: string, file = 'fixture'): { expected: string[]; directory: FixtureDirectory } {
  const expected: string[] = [];
  let directory: FixtureDirectory = 'empty';
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    if (!line.startsWith('#')) break;
    const header = /^# (expect|directory): (.*)$/.exec(line);
    if (!header) continue;
    const value = header[2]!;
    if (header[1] === 'expect') expected.push(value);
    else if ((DIRECTORIES as readonly string[]).includes(value)) directory = value as FixtureDirectory;
    else throw new Error(`${file}: unknown directory ${JSON.stringify(value)}; use ${DIRECTORIES.join(' or ')}`);
  }
  if (expected.length === 0)
    throw new Error(`${file}: no "# expect: <line>" header; a broken fixture must say what it breaks`);
  return { expected, directory };
}

/** Every fixture, sorted by name. */
export function importFixtures(): ImportFixture[] {
  return readdirSync(IMPORT_FIXTURES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = path.join(IMPORT_FIXTURES_DIR, f);
      const text = readFileSync(file, 'utf8');
      return { name: f.replace(/\.yaml$/, ''), path: file, text, ...readFixtureHeader(text, f) };
    });
}

const KEPT_AT = '2026-03-02T14:00:00.000Z';

/** IT as Kept keeps it: request IDs IT-1, IT-2, ... */
export const KEPT_IT: Department = {
  id: 'it',
  name: 'IT',
  heads: ['U0ITHEAD1'],
  members: ['U0ITMEM01', 'U0ITMEM02'],
  usergroup: 'S0ITTEAM1',
  usergroupMembers: ['U0ITMEM03'],
  usergroupSyncedAt: KEPT_AT,
  channel: 'C0ITQUEUE',
  calendar: {
    timezone: 'America/New_York',
    hours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
    holidays: { country: 'US' },
  },
  prefix: 'IT',
};

/** IT's active promise to every department: laptops. */
export const KEPT_IT_LAPTOPS: AgreementVersion = {
  id: 'it-laptops',
  version: 1,
  provider: 'it',
  customer: '*',
  service: 'Laptops',
  targets: {
    P2: { response: HOUR_MS, resolution: 8 * HOUR_MS },
    P3: { response: 8 * HOUR_MS, resolution: 40 * HOUR_MS },
  },
  penalty: { unit: 'points', perBreach: 10, tiers: [] },
  atRisk: 0.75,
  status: 'active',
  createdAt: KEPT_AT,
  createdBy: 'U0ITHEAD1',
  activatedAt: KEPT_AT,
};

/** A deep copy as plain data, made in the test's own realm (unlike structuredClone under jest). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** What Kept keeps before a fixture is checked: a fresh copy each time, free to change. */
export function directoryFor(kind: FixtureDirectory): Directory {
  switch (kind) {
    case 'empty':
      return { ...EMPTY_DIRECTORY, departments: [], agreements: [], digests: [] };
    case 'kept-it':
      return {
        rev: 3,
        departments: [copy(KEPT_IT)],
        agreements: [{ id: KEPT_IT_LAPTOPS.id, latestVersion: 1, active: copy(KEPT_IT_LAPTOPS) }],
        digests: [{ channel: 'C0GENERAL', weekday: 'mon', time: '09:00', timezone: 'America/New_York' }],
      };
  }
}
