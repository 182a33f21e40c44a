import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { AgreementVersion } from '../../../functions/domain/agreement';
import type { Department } from '../../../functions/domain/department';
import { type AgreementRecord, type Directory, EMPTY_DIRECTORY } from '../../../functions/domain/directory';
import { type ImportFile, validateImport } from '../../../functions/domain/import-file';
import { type ImportPlan, planImport } from '../../../functions/domain/import-plan';
import { formatPath, issueLine } from '../../../functions/domain/issues';
import { builtInTips, type CatalogueEntry, overlayCatalogue, type TipChange } from '../../../functions/domain/tips';
import { directoryFor, type FixtureDirectory, importFixtures } from '../../support/import-fixtures';

const ROOT = path.join(__dirname, '..', '..', '..');
const EXAMPLE = readFileSync(path.join(ROOT, 'examples', 'company.yaml'), 'utf8');
const NOW = '2026-04-01T08:00:00.000Z';
const LATER = '2026-04-02T08:00:00.000Z';

const fixtures = importFixtures();

function linesOf(raw: unknown, dir: Directory): string[] {
  const r = validateImport(raw, dir);
  return r.ok ? [] : r.error.map(issueLine);
}

function validFile(raw: unknown, dir: Directory = EMPTY_DIRECTORY): ImportFile {
  const r = validateImport(raw, dir);
  if (!r.ok) throw new Error(`expected a valid file, got:\n${r.error.map(issueLine).join('\n')}`);
  return r.value;
}

/** What the store does with a plan: the directory after the import. */
function applyPlan(dir: Directory, plan: ImportPlan): Directory {
  const next: Directory = {
    rev: dir.rev + (plan.changes.length > 0 ? 1 : 0),
    departments: [...dir.departments],
    agreements: [...dir.agreements],
    digests: [...dir.digests],
  };
  for (const change of plan.changes) {
    switch (change.kind) {
      case 'department.create':
        next.departments.push(change.department);
        break;
      case 'department.update':
        next.departments = next.departments.map((d) => (d.id === change.department.id ? change.department : d));
        break;
      case 'agreement.activate': {
        const a = change.agreement;
        const record = { id: a.id, latestVersion: a.version, active: a };
        const at = next.agreements.findIndex((r) => r.id === a.id);
        if (at === -1) next.agreements.push(record);
        else next.agreements[at] = record;
        break;
      }
      case 'digest.set':
        next.digests = [...next.digests.filter((d) => d.channel !== change.digest.channel), change.digest];
        break;
    }
  }
  return next;
}

/** The example imported once into an empty Kept. */
function keptExample(): Directory {
  return applyPlan(EMPTY_DIRECTORY, planImport(validFile(parse(EXAMPLE)), EMPTY_DIRECTORY, NOW));
}

/** The example as parsed YAML, to edit in a test. */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit arbitrary paths of the parsed file
const exampleRaw = (): { departments: Record<string, unknown>[]; agreements: Record<string, any>[]; digest: unknown } =>
  parse(EXAMPLE);

// -------------------------------------------------------------------------------------------------

describe('broken import files', () => {
  it('are there, each saying what it breaks', () => {
    expect(fixtures.length).toBeGreaterThan(100);
    for (const f of fixtures) expect(f.expected.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s gives exactly the lines in its header', (_name, fixture) => {
    expect(linesOf(parse(fixture.text), directoryFor(fixture.directory))).toEqual(fixture.expected);
  });

  it('list every problem of a file, not only the first', () => {
    const several = fixtures.filter((f) => f.expected.length >= 3);
    expect(several.length).toBeGreaterThan(0);
    // Shape problems and unknown departments in one run.
    const mixed = fixtures.find((f) => f.name === 'several-problems')!;
    expect(mixed.expected.some((l) => l.includes('is not a duration'))).toBe(true);
    expect(mixed.expected.some((l) => l.includes('is not a department in this file or in Kept'))).toBe(true);
  });

  it('need the kept directory only where they say so, and fail differently without it', () => {
    const kept = fixtures.filter((f) => f.directory === 'kept-it');
    expect(kept.map((f) => f.name).sort()).toEqual([
      'agreement-overlaps-kept',
      'metrics-invalid',
      'prefix-clash-with-kept',
    ]);
    for (const f of kept) expect(linesOf(parse(f.text), directoryFor('empty'))).not.toEqual(f.expected);
  });

  it('an empty file is reported as empty, whether YAML reads it as null or nothing at all', () => {
    expect(linesOf(null, EMPTY_DIRECTORY)).toEqual([
      'the file is empty; give departments, agreements, digest, tips and/or metrics',
    ]);
    expect(linesOf(undefined, EMPTY_DIRECTORY)).toEqual([
      'the file is empty; give departments, agreements, digest, tips and/or metrics',
    ]);
  });

  it('the issue example is printed exactly as the issue writes it', () => {
    const f = fixtures.find((x) => x.name === 'duration-not-a-duration')!;
    expect(linesOf(parse(f.text), EMPTY_DIRECTORY)).toEqual([
      'agreements[0].targets.P2.resolution: "16x" is not a duration; use forms like 30m, 4h, 1h30m',
    ]);
  });
});

// -------------------------------------------------------------------------------------------------

describe('the example file and the plan', () => {
  it('the documented example is valid', () => {
    expect(linesOf(parse(EXAMPLE), EMPTY_DIRECTORY)).toEqual([]);
  });

  it('into an empty Kept, the example creates 4 departments, 4 active version-1 agreements and one digest', () => {
    const plan = planImport(validFile(parse(EXAMPLE)), EMPTY_DIRECTORY, NOW);
    expect(plan.unchanged).toBe(0);
    expect(
      plan.changes
        .filter((c) => c.kind === 'department.create')
        .map((c) => c.kind === 'department.create' && c.department.id),
    ).toEqual(['it', 'finance', 'people-ops', 'support']);
    const activations = plan.changes.flatMap((c) => (c.kind === 'agreement.activate' ? [c] : []));
    expect(activations.map((c) => [c.agreement.id, c.agreement.version, c.agreement.status])).toEqual([
      ['it-for-finance', 1, 'active'],
      ['it-for-everyone', 1, 'active'],
      ['finance-for-people-ops', 1, 'active'],
      ['people-ops-for-support', 1, 'active'],
    ]);
    for (const c of activations) {
      expect(c).not.toHaveProperty('retires');
      expect(c).not.toHaveProperty('withdraws');
      expect(c.agreement).toMatchObject({ createdAt: NOW, activatedAt: NOW, createdBy: 'import' });
    }
    expect(plan.changes.filter((c) => c.kind === 'digest.set')).toEqual([
      {
        kind: 'digest.set',
        digest: { channel: 'C0GENERAL', weekday: 'mon', time: '09:00', timezone: 'America/New_York' },
      },
    ]);
    expect(plan.changes).toHaveLength(9);
  });

  it('reads the example the way its comments describe it', () => {
    const dir = keptExample();
    const finance = dir.departments.find((d) => d.id === 'finance')!;
    const people = dir.departments.find((d) => d.id === 'people-ops')!;
    expect(finance.prefix).toBe('FINANCE');
    expect(people).toMatchObject({ prefix: 'HR', usergroup: 'S0HRTEAM1', members: [], usergroupMembers: [] });
    const everyone = dir.agreements.find((a) => a.id === 'it-for-everyone')!.active!;
    expect(everyone).toMatchObject({
      customer: '*',
      atRisk: 0.75,
      penalty: { unit: 'points', perBreach: 10, tiers: [] },
    });
    expect(everyone.targets.P3).toEqual({ response: 8 * 3_600_000, resolution: 40 * 3_600_000 });
    const payroll = dir.agreements.find((a) => a.id === 'finance-for-people-ops')!.active!;
    expect(payroll.penalty).toEqual({
      unit: 'EUR',
      perBreach: 150,
      tiers: [
        { fromBreach: 2, multiplier: 1.5 },
        { fromBreach: 4, multiplier: 2 },
      ],
      monthlyCap: 1200,
    });
    expect(payroll.targets.P3!.response).toBe(90 * 60_000);
  });

  it('importing the same file twice plans nothing the second time', () => {
    const dir = keptExample();
    const again = planImport(validFile(parse(EXAMPLE), dir), dir, LATER);
    expect(again).toEqual({ changes: [], unchanged: 9 });
  });

  it('kept values whose keys come back in another order (as DynamoDB maps do) are still unchanged', () => {
    const reverse = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverse)
        : value !== null && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reverse(v)]),
            )
          : value;
    const dir = keptExample();
    const shuffled: Directory = {
      ...dir,
      departments: dir.departments.map((d) => reverse(d) as Department),
      agreements: dir.agreements.map((a) => reverse(a) as AgreementRecord),
    };
    expect(JSON.stringify(shuffled.departments[0]!.calendar)).not.toBe(JSON.stringify(dir.departments[0]!.calendar));
    expect(planImport(validFile(parse(EXAMPLE), shuffled), shuffled, LATER)).toEqual({ changes: [], unchanged: 9 });
  });

  it('the same file written differently (spaces, unit case, default at_risk spelled out) is still unchanged', () => {
    const dir = keptExample();
    const raw = exampleRaw();
    raw.agreements[1]!.service = '  Printers and meeting rooms ';
    raw.agreements[1]!.at_risk = 0.75;
    raw.agreements[2]!.penalty.unit = 'eur';
    raw.agreements[2]!.targets.P3.response = '90m';
    expect(planImport(validFile(raw, dir), dir, LATER)).toEqual({ changes: [], unchanged: 9 });
  });

  it('changing one target makes exactly one new active version that retires the old one', () => {
    const dir = keptExample();
    const raw = exampleRaw();
    raw.agreements[0]!.targets.P2.resolution = '12h';
    const plan = planImport(validFile(raw, dir), dir, LATER);
    expect(plan.unchanged).toBe(8);
    expect(plan.changes).toHaveLength(1);
    const [change] = plan.changes;
    expect(change).toMatchObject({
      kind: 'agreement.activate',
      retires: 1,
      agreement: { id: 'it-for-finance', version: 2, status: 'active', activatedAt: LATER },
    });
    expect(change).not.toHaveProperty('withdraws');
    if (change?.kind !== 'agreement.activate') throw new Error('expected an activation');
    expect(change.agreement.targets.P2).toEqual({ response: 2 * 3_600_000, resolution: 12 * 3_600_000 });
    expect(change.agreement.targets.P1).toEqual({ response: 30 * 60_000, resolution: 4 * 3_600_000 });

    const after = applyPlan(dir, plan);
    expect(planImport(validFile(raw, after), after, LATER)).toEqual({ changes: [], unchanged: 9 });
  });

  it('a proposal waiting in Slack is withdrawn by an import that changes the agreement', () => {
    const dir = keptExample();
    const record = dir.agreements.find((a) => a.id === 'it-for-finance')!;
    const proposal: AgreementVersion = {
      ...record.active!,
      version: 2,
      status: 'proposed',
      penalty: { ...record.active!.penalty, perBreach: 80 },
      createdAt: LATER,
      createdBy: 'U0FINHEAD',
      proposedBy: 'U0FINHEAD',
      proposedFor: 'finance',
    };
    delete proposal.activatedAt;
    record.pending = proposal;
    record.latestVersion = 2;
    const raw = exampleRaw();
    raw.agreements[0]!.penalty.per_breach = 60;
    const plan = planImport(validFile(raw, dir), dir, LATER);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      kind: 'agreement.activate',
      retires: 1,
      withdraws: 2,
      agreement: { id: 'it-for-finance', version: 3 },
    });
  });

  it('an agreement that was only proposed so far becomes active without retiring anything', () => {
    const dir = keptExample();
    const at = dir.agreements.findIndex((a) => a.id === 'it-for-finance');
    const { active } = dir.agreements[at]!;
    dir.agreements[at] = { id: 'it-for-finance', latestVersion: 1, pending: { ...active!, status: 'proposed' } };
    const plan = planImport(validFile(parse(EXAMPLE), dir), dir, LATER);
    expect(plan.unchanged).toBe(8);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      kind: 'agreement.activate',
      withdraws: 1,
      agreement: { id: 'it-for-finance', version: 2 },
    });
    expect(plan.changes[0]).not.toHaveProperty('retires');
  });

  it('an edited department is updated and keeps the members Slack reported for its unchanged user group', () => {
    const dir = keptExample();
    const people = dir.departments.find((d) => d.id === 'people-ops')!;
    people.usergroupMembers = ['U0HRMEM01', 'U0HRMEM02'];
    people.usergroupSyncedAt = NOW;
    const raw = exampleRaw();
    raw.departments[2]!.name = 'People & Culture';
    const plan = planImport(validFile(raw, dir), dir, LATER);
    expect(plan.unchanged).toBe(8);
    expect(plan.changes).toEqual([{ kind: 'department.update', department: { ...people, name: 'People & Culture' } }]);
  });

  it('a new digest time replaces the channel’s digest; a second channel gets its own', () => {
    const dir = keptExample();
    const raw = exampleRaw();
    raw.digest = [
      { channel: 'C0GENERAL', weekday: 'fri', time: '16:00', timezone: 'America/New_York' },
      { channel: 'C0LEADS', weekday: 'mon', time: '08:30', timezone: 'Europe/London' },
    ];
    const plan = planImport(validFile(raw, dir), dir, LATER);
    expect(plan.unchanged).toBe(8);
    expect(
      plan.changes.map((c) => c.kind === 'digest.set' && `${c.digest.channel} ${c.digest.weekday} ${c.digest.time}`),
    ).toEqual(['C0GENERAL fri 16:00', 'C0LEADS mon 08:30']);
    expect(applyPlan(dir, plan).digests).toHaveLength(2);
  });

  it('a file may change a kept agreement by its id without clashing with itself', () => {
    const dir = directoryFor('kept-it');
    const raw = {
      agreements: [
        {
          id: 'it-laptops',
          provider: 'it',
          customer: '*',
          service: 'Laptops',
          targets: { P2: { response: '1h', resolution: '6h' } },
          penalty: { unit: 'points', per_breach: 10 },
        },
      ],
    };
    const plan = planImport(validFile(raw, dir), dir, LATER);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      kind: 'agreement.activate',
      retires: 1,
      agreement: { id: 'it-laptops', version: 2 },
    });
  });

  it('a file may give a kept department a new prefix and hand its old one to another department', () => {
    const dir = directoryFor('kept-it');
    const it = {
      id: 'it',
      name: 'IT',
      heads: ['U0ITHEAD1'],
      channel: 'C0ITQUEUE',
      prefix: 'ITS',
      calendar: { timezone: 'America/New_York' },
    };
    const infra = {
      id: 'infrastructure',
      name: 'Infrastructure',
      heads: ['U0INFHEAD'],
      channel: 'C0INFQUEUE',
      prefix: 'IT',
      calendar: { timezone: 'UTC' },
    };
    expect(linesOf({ departments: [it, infra] }, dir)).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

/**
 * Message families: a distinctive piece of every message the import can print. `text` is copied
 * from the source (so a reworded message is noticed here); `line` is what an expected fixture
 * line must contain or match (default: `text`). Adding a rule without a fixture fails the guard.
 *
 * Not listed, because no input reaches them: `monthly_cap is required` (monthly_cap is optional),
 * `country is required` / `region is required` (both optional), and `must be a list of digest
 * settings` (a digest that is not a list is read as one digest's settings).
 */
interface Family {
  file:
    | 'import-file.ts'
    | 'agreement-spec.ts'
    | 'department-spec.ts'
    | 'calendar-spec.ts'
    | 'duration.ts'
    | 'tips.ts'
    | 'loyalty.ts';
  text: string;
  line?: string | RegExp;
}

const FAMILIES: Family[] = [
  // The file and its sections
  { file: 'import-file.ts', text: 'the file is empty; give departments, agreements, digest, tips and/or metrics' },
  {
    file: 'import-file.ts',
    text: 'the file must be a mapping with the sections departments, agreements, digest, tips and/or metrics',
  },
  { file: 'import-file.ts', text: 'is not a section of the file; use departments, agreements, digest, tips, metrics' },
  // A front-line department's declared agreements
  {
    file: 'import-file.ts',
    text: "is not an agreement in this file or in Kept; name the agreements that serve this department's customers",
  },
  { file: 'department-spec.ts', text: 'must be a list of agreement ids, e.g. [it-for-sales, logistics-for-sales]' },
  // Weekly customer figures (loyalty.ts)
  { file: 'import-file.ts', text: 'must be a list of weekly figures (each line starting with "- ")' },
  {
    file: 'loyalty.ts',
    text: 'is not a department in Kept; known: ${knownList}',
    line: 'is not a department in Kept; known:',
  },
  {
    file: 'loyalty.ts',
    text: 'is not a metric name; use lowercase letters, digits, _ and -',
    line: 'is not a metric name; use lowercase letters, digits, _ and -',
  },
  { file: 'loyalty.ts', text: 'is not a week; write an ISO week like 2026-W48 (that year has such a week)' },
  { file: 'loyalty.ts', text: 'is not a number' },
  { file: 'loyalty.ts', text: 'is not a metric field; use department, metric, week, value' },
  { file: 'loyalty.ts', text: 'department is required: the front-line department whose customers gave the figure' },
  {
    file: 'loyalty.ts',
    text: 'is given twice (also ${nameOf(first)}); give each week once',
    line: 'is given twice (also metrics[',
  },
  {
    file: 'import-file.ts',
    text: 'must be a list of ${what} (each line starting with "- ")',
    line: /^tips: must be a list of tips \(each line/,
  },
  {
    file: 'import-file.ts',
    text: 'must be a list of ${what} (each line starting with "- ")',
    line: /^departments: must be a list of departments \(each line/,
  },
  {
    file: 'import-file.ts',
    text: 'must be a list of ${what} (each line starting with "- ")',
    line: /^agreements: must be a list of agreements \(each line/,
  },
  // Across the file
  {
    file: 'import-file.ts',
    text: 'is listed twice (also departments[${first}])',
    line: 'is listed twice (also departments[',
  },
  {
    file: 'import-file.ts',
    text: 'is listed twice (also agreements[${first}])',
    line: 'is listed twice (also agreements[',
  },
  {
    file: 'import-file.ts',
    text: 'is listed twice (also digest[${first}]); a channel gets one digest a week',
    line: 'a channel gets one digest a week',
  },
  {
    file: 'import-file.ts',
    text: 'is not a department in this file or in Kept; known: ${knownList}`',
    line: /provider: .* is not a department in this file or in Kept; known: [^"]*$/,
  },
  {
    file: 'import-file.ts',
    text: 'is not a department in this file or in Kept; known: ${knownList}, or "*" for every department',
    line: /customer: .* or "\*" for every department$/,
  },
  { file: 'import-file.ts', text: "'none yet'", line: 'known: none yet' },
  { file: 'import-file.ts', text: 'is the provider too; an agreement is between two departments' },
  {
    file: 'import-file.ts',
    text: 'would start ${prefix}-, like those of ${owner}; give it its own prefix',
    line: /^departments\[\d+\]\.prefix: request IDs of .* give it its own prefix$/,
  },
  {
    file: 'import-file.ts',
    text: "d.prefix ? 'prefix' : 'id'",
    line: /^departments\[\d+\]\.id: request IDs of .* give it its own prefix$/,
  },
  {
    file: 'import-file.ts',
    text: 'covers the same requests as agreements[${j}]',
    line: /covers the same requests as agreements\[\d+\] \(\S+ -> (?!every department)[a-z]/,
  },
  {
    file: 'import-file.ts',
    text: "'every department'",
    line: /covers the same requests as agreements\[\d+\] \(\S+ -> every department/,
  },
  {
    file: 'import-file.ts',
    text: 'covers the same requests as the active agreement ${kept.id}',
    line: 'covers the same requests as the active agreement',
  },
  // Digest
  { file: 'import-file.ts', text: 'channel is required: the digest is posted there' },
  {
    file: 'import-file.ts',
    text: 'is not a Slack channel ID`',
    line: /^digest(\[\d+\])?\.channel: .* is not a Slack channel ID$/,
  },
  { file: 'import-file.ts', text: "open the channel's details and copy the ID at the bottom, e.g. C0GENERAL" },
  { file: 'import-file.ts', text: 'is not a weekday; use mon, tue, wed, thu, fri, sat or sun' },
  { file: 'import-file.ts', text: 'is not a time; write HH:MM in 24-hour form, e.g. "09:00" (quoted in YAML)' },
  {
    file: 'import-file.ts',
    text: 'is not a time; write HH:MM in 24-hour form, e.g. "09:00"`',
    line: /is not a time; write HH:MM in 24-hour form, e\.g\. "09:00"$/,
  },
  { file: 'import-file.ts', text: 'is not a timezone`', line: /^digest.*: .* is not a timezone$/ },
  {
    file: 'import-file.ts',
    text: 'is not a known IANA timezone',
    line: /^digest.*timezone: .* is not a known IANA timezone/,
  },
  { file: 'import-file.ts', text: 'is not a digest field; use channel, weekday, time, timezone' },
  { file: 'import-file.ts', text: 'must be digest settings like { channel: C0GENERAL' },
  // Agreements
  {
    file: 'agreement-spec.ts',
    text: 'must be an agreement: an object with provider, customer, service, targets and penalty',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not an agreement field; use id, provider, customer, service, targets, penalty, at_risk, escalation, waiting',
  },
  {
    file: 'agreement-spec.ts',
    text: 'id is required; ${AGREEMENT_ID_HELP}',
    line: 'id: id is required; use 1-64 lowercase letters',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not an agreement id; ${AGREEMENT_ID_HELP}',
    line: /id: ".*" is not an agreement id; use 1-64/,
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not an agreement id; ${AGREEMENT_ID_HELP}',
    line: /id: \d+ is not an agreement id; use 1-64/,
  },
  { file: 'agreement-spec.ts', text: 'provider is required: the department that makes the promise' },
  { file: 'agreement-spec.ts', text: 'customer is required: a department id, or "*" for every department' },
  {
    file: 'agreement-spec.ts',
    text: 'is not a department id`',
    line: /^agreements\[\d+\]\.provider: .* is not a department id$/,
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not a department id`',
    line: /^agreements\[\d+\]\.customer: .* is not a department id$/,
  },
  { file: 'agreement-spec.ts', text: 'service is required: name what is promised, e.g. Laptops and accounts' },
  { file: 'agreement-spec.ts', text: 'must be text, not ${shown(iss.input)}', line: /service: must be text, not / },
  { file: 'agreement-spec.ts', text: "'must not be empty'", line: /service: must not be empty$/ },
  { file: 'agreement-spec.ts', text: "'is longer than 80 characters'", line: /service: is longer than 80 characters$/ },
  { file: 'agreement-spec.ts', text: 'must map priorities (P1..P4) to targets' },
  { file: 'agreement-spec.ts', text: 'is not a priority; use P1, P2, P3, P4' },
  { file: 'agreement-spec.ts', text: 'give targets for at least one priority (P1..P4)' },
  {
    file: 'agreement-spec.ts',
    text: 'must give response and resolution times, e.g. { response: 30m, resolution: 4h }',
  },
  { file: 'agreement-spec.ts', text: 'is not a target field; use response and resolution' },
  { file: 'agreement-spec.ts', text: 'is required; use forms like 30m, 4h, 1h30m' },
  {
    file: 'agreement-spec.ts',
    text: 'has no unit; write ${value}m or ${value}h',
    line: /: \d+ has no unit; write \d+m or \d+h$/,
  },
  {
    file: 'agreement-spec.ts',
    text: 'is less than the response target ${formatDuration(t.response)}; solving includes answering, so it cannot be sooner',
    line: 'is less than the response target',
  },
  { file: 'agreement-spec.ts', text: 'must be penalty terms like { unit: points, per_breach: 50 }' },
  { file: 'agreement-spec.ts', text: 'is not a penalty field; use unit, per_breach, tiers, monthly_cap' },
  {
    file: 'agreement-spec.ts',
    text: 'unit is required; ${UNIT_HELP}',
    line: 'unit: unit is required; use points or a three-letter currency code',
  },
  { file: 'agreement-spec.ts', text: 'is not a unit; ${UNIT_HELP}', line: /unit: ".*" is not a unit; use points/ },
  { file: 'agreement-spec.ts', text: 'is not a unit; ${UNIT_HELP}', line: /unit: \d+ is not a unit; use points/ },
  { file: 'agreement-spec.ts', text: '${what} is required', line: /per_breach: per_breach is required$/ },
  {
    file: 'agreement-spec.ts',
    text: '${shown(iss.input)} is not a number`',
    line: /penalty\.(per_breach|monthly_cap): .* is not a number$/,
  },
  { file: 'agreement-spec.ts', text: 'must be a finite number' },
  { file: 'agreement-spec.ts', text: 'is negative; a penalty is an amount owed, 0 or more' },
  {
    file: 'agreement-spec.ts',
    text: 'is too large; the most we accept is ${MAX_AMOUNT}',
    line: 'is too large; the most we accept is 1000000000',
  },
  { file: 'agreement-spec.ts', text: 'has more than two decimals' },
  { file: 'agreement-spec.ts', text: "a month's cap must allow at least one breach" },
  { file: 'agreement-spec.ts', text: 'must be a list of tiers like [{ from_breach: 3, multiplier: 2 }]' },
  { file: 'agreement-spec.ts', text: 'has more than 10 tiers' },
  { file: 'agreement-spec.ts', text: 'must be a tier like { from_breach: 3, multiplier: 2 }' },
  { file: 'agreement-spec.ts', text: 'is not a tier field; use from_breach and multiplier' },
  { file: 'agreement-spec.ts', text: "'from_breach is required'", line: 'from_breach: from_breach is required' },
  { file: 'agreement-spec.ts', text: 'is not a whole number', line: /from_breach: \d+\.\d+ is not a whole number$/ },
  { file: 'agreement-spec.ts', text: 'is not a whole number', line: /from_breach: ".*" is not a whole number$/ },
  {
    file: 'agreement-spec.ts',
    text: 'is too small; tiers start from the 2nd breach of a month (the 1st always costs per_breach)',
  },
  {
    file: 'agreement-spec.ts',
    text: "'is too large; use 1000 or less'",
    line: /from_breach: is too large; use 1000 or less$/,
  },
  { file: 'agreement-spec.ts', text: "'multiplier is required'", line: 'multiplier: multiplier is required' },
  { file: 'agreement-spec.ts', text: '${shown(iss.input)} is not a number`', line: /multiplier: .* is not a number$/ },
  { file: 'agreement-spec.ts', text: 'is below 1; a tier makes repeated breaches cost more, not less' },
  {
    file: 'agreement-spec.ts',
    text: "'is too large; use 100 or less'",
    line: /multiplier: is too large; use 100 or less$/,
  },
  {
    file: 'agreement-spec.ts',
    text: "does not come after the previous tier's ${tiers[i - 1]!.from_breach}; list tiers in rising order",
    line: "does not come after the previous tier's",
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not a number; write the share of a target after which it is at risk, e.g. 0.75',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not between 0 and 1; write a share such as 0.75 (75% of the time used)',
    line: /at_risk: (0|-[\d.]+) is not between 0 and 1/,
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not between 0 and 1; write a share such as 0.75 (75% of the time used)',
    line: /at_risk: [1-9][\d.]* is not between 0 and 1/,
  },
  // Escalation ladders
  { file: 'agreement-spec.ts', text: 'must be a list of steps like [{ at: 0.5, notify: assignee }' },
  { file: 'agreement-spec.ts', text: 'is not a step field; use at, target, unacknowledged_for, notify' },
  { file: 'agreement-spec.ts', text: 'give either at or unacknowledged_for, not both; make them two steps' },
  {
    file: 'agreement-spec.ts',
    text: 'give at (a share of a target, e.g. 0.5) or unacknowledged_for (a working duration, e.g. 1h)',
  },
  {
    file: 'agreement-spec.ts',
    text: 'only goes with at; unacknowledged_for always counts until the request is acknowledged',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not someone to notify; ${AUDIENCE_HELP}',
    line: 'is not someone to notify; use one of',
  },
  {
    file: 'agreement-spec.ts',
    text: 'notify is required; ${AUDIENCE_HELP}',
    line: 'notify: notify is required; use one of',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not between 0 and 1; ${SHARE_HELP}',
    line: /escalation\[\d+\]\.at: [\d.]+ is not between 0 and 1/,
  },
  { file: 'agreement-spec.ts', text: 'is not a target; use response or resolution' },
  {
    file: 'agreement-spec.ts',
    text: 'is not a waiting field; use remind_after, resume_after, close_after, third_party_pauses_clock',
  },
  { file: 'agreement-spec.ts', text: 'must be waiting rules like { remind_after: 4h, resume_after: 16h }' },
  {
    file: 'agreement-spec.ts',
    text: 'give at least one of remind_after, resume_after, close_after, third_party_pauses_clock, or leave waiting out',
  },
  {
    file: 'agreement-spec.ts',
    text: 'is not true or false; write true to pause the clock',
  },
  {
    file: 'agreement-spec.ts',
    text: 'give resume_after or close_after, not both: after the wait the request either runs again or closes',
  },
  {
    file: 'agreement-spec.ts',
    text: 'the requester is reminded before the wait ends',
    line: /waiting\.(resume|close)_after: \S+ is not longer than remind_after \(\S+\); the requester is reminded before the wait ends$/,
  },
  // Tips
  { file: 'import-file.ts', text: 'must be a tip like { id: cus-first-thirty-seconds, retired: true }' },
  { file: 'import-file.ts', text: 'is not a tip field; use id, kind, title, body, try_this_week, retired' },
  {
    file: 'import-file.ts',
    text: "id is required: a built-in tip's id, or a new one starting int- or cus-",
    line: "id is required: a built-in tip's id, or a new one starting int- or cus-",
  },
  { file: 'import-file.ts', text: 'is not a tip id`', line: /^tips\[\d+\]\.id: \d+ is not a tip id$/ },
  {
    file: 'import-file.ts',
    text: 'is not a tip id; use lowercase letters, digits and single hyphens, like int-handoff-note',
  },
  {
    file: 'import-file.ts',
    text: 'is longer than ${TIP_ID_MAX} characters',
    line: /^tips\[\d+\]\.id: is longer than 64 characters$/,
  },
  { file: 'import-file.ts', text: 'does not start with int- (serving colleagues) or cus- (serving customers)' },
  { file: 'import-file.ts', text: 'is listed twice (also tips[${first}])', line: 'is listed twice (also tips[' },
  {
    file: 'import-file.ts',
    text: 'does not match the id ${t.id}: ids of ${kind} tips start',
    line: /kind: ".*" does not match the id \S+: ids of (internal|customer) tips start (int|cus)-$/,
  },
  { file: 'import-file.ts', text: 'is not a kind of tip; use internal or customer' },
  {
    file: 'import-file.ts',
    text: "is a new tip (it is not one of Kept's tips yet)",
    line: /^tips\[\d+\]\.(title|body|try_this_week): \1 is required: \S+ is a new tip/,
  },
  {
    file: 'import-file.ts',
    text: 'must be text, not ${shown(iss.input)}',
    line: /^tips\[\d+\]\.(title|body|try_this_week): \1 must be text, not /,
  },
  {
    file: 'import-file.ts',
    text: 'needs at least ${min} characters',
    line: /^tips\[\d+\]\.(title|body|try_this_week): \1 needs at least \d+ characters$/,
  },
  {
    file: 'import-file.ts',
    text: 'must be at most ${max} characters',
    line: /^tips\[\d+\]\.(title|body|try_this_week): \1 must be at most \d+ characters$/,
  },
  { file: 'import-file.ts', text: "'title must be one line'", line: /^tips\[\d+\]\.title: title must be one line$/ },
  { file: 'import-file.ts', text: 'is not true or false', line: /^tips\[\d+\]\.retired: .* is not true or false$/ },
  {
    file: 'import-file.ts',
    text: 'would retire the last ${kind} tip in rotation; keep at least one of each kind',
    line: /retired: would retire the last (internal|customer) tip in rotation/,
  },
  {
    file: 'tips.ts',
    text: 'the tip must say more than its title',
    line: /^tips\[\d+\]\.body: the tip must say more than its title$/,
  },
  // Durations
  { file: 'duration.ts', text: 'a duration must be text; ' },
  { file: 'duration.ts', text: 'is not a duration; ' },
  { file: 'duration.ts', text: 'is zero; a duration must be longer than that' },
  { file: 'duration.ts', text: 'is too long; the longest accepted is 100000h' },
  // Departments
  { file: 'department-spec.ts', text: 'must be a department: an object with id, name, heads, channel and calendar' },
  {
    file: 'department-spec.ts',
    text: 'is not a department field; use id, name, heads, members, usergroup, channel, calendar, prefix, serves_customers_through',
  },
  { file: 'department-spec.ts', text: 'a department id is required' },
  {
    file: 'department-spec.ts',
    text: 'is not a department id; ${DEPARTMENT_ID_HELP}',
    line: 'is not a department id; use 1-32 lowercase letters',
  },
  { file: 'department-spec.ts', text: "'name is required'", line: 'name: name is required' },
  { file: 'department-spec.ts', text: 'must be text, not ${quoted(iss.input)}', line: /name: must be text, not / },
  { file: 'department-spec.ts', text: "'must not be empty'", line: /name: must not be empty$/ },
  { file: 'department-spec.ts', text: "'is longer than 80 characters'", line: /name: is longer than 80 characters$/ },
  {
    file: 'department-spec.ts',
    text: 'a department needs at least one head: heads accept agreements and see penalties',
  },
  { file: 'department-spec.ts', text: 'must be a list of Slack user IDs, e.g. [U0ABC1234]' },
  {
    file: 'department-spec.ts',
    text: "is not a Slack user ID; copy it from the person's profile",
    line: /\[\d+\]: ".*" is not a Slack user ID/,
  },
  {
    file: 'department-spec.ts',
    text: "is not a Slack user ID; copy it from the person's profile",
    line: /\[\d+\]: \d+ is not a Slack user ID/,
  },
  { file: 'department-spec.ts', text: 'is listed twice among the ${what}', line: 'is listed twice among the heads' },
  { file: 'department-spec.ts', text: 'is listed twice among the ${what}', line: 'is listed twice among the members' },
  { file: 'department-spec.ts', text: 'is not a Slack user group ID; it starts with S, e.g. S0ITTEAM1' },
  { file: 'department-spec.ts', text: 'channel is required: request cards are posted there' },
  {
    file: 'department-spec.ts',
    text: 'is not a Slack channel ID`',
    line: /^departments\[\d+\]\.channel: .* is not a Slack channel ID$/,
  },
  { file: 'department-spec.ts', text: "open the channel's details and copy the ID at the bottom, e.g. C0ITQUEUE" },
  {
    file: 'department-spec.ts',
    text: 'is not a request-ID prefix; use 1-10 capital letters or digits, starting with a letter, e.g. IT',
    line: /prefix: ".*" is not a request-ID prefix/,
  },
  {
    file: 'department-spec.ts',
    text: 'is not a request-ID prefix; use 1-10 capital letters or digits, starting with a letter, e.g. IT',
    line: /prefix: \d+ is not a request-ID prefix/,
  },
  // Calendars
  { file: 'calendar-spec.ts', text: 'must be an object with timezone, hours, holidays and overrides' },
  { file: 'calendar-spec.ts', text: 'is not a calendar field; use timezone, hours, holidays, overrides' },
  {
    file: 'calendar-spec.ts',
    text: 'must map dates to hours, like { "2026-12-24": "09:00-13:00", "2026-12-31": "" }, not',
  },
  {
    file: 'calendar-spec.ts',
    text: 'is not a date; write YYYY-MM-DD, e.g. "2026-12-24"',
    line: /overrides\.[^:]*: ".*" is not a date; write YYYY-MM-DD, e.g. "2026-12-24"$/,
  },
  { file: 'calendar-spec.ts', text: '${what} is required', line: 'calendar.timezone: timezone is required' },
  {
    file: 'calendar-spec.ts',
    text: '${what} must be text, not',
    line: 'calendar.timezone: timezone must be text, not',
  },
  { file: 'calendar-spec.ts', text: '${what} must be text, not', line: 'holidays.country: country must be text, not' },
  { file: 'calendar-spec.ts', text: '${what} must be text, not', line: 'holidays.region: region must be text, not' },
  {
    file: 'calendar-spec.ts',
    text: 'is not a known IANA timezone; use a name like Europe/Berlin or America/New_York',
    line: /calendar\.timezone: .* is not a known IANA timezone/,
  },
  { file: 'calendar-spec.ts', text: 'must map weekdays (mon..sun) to time ranges' },
  { file: 'calendar-spec.ts', text: 'is not a weekday; use mon, tue, wed, thu, fri, sat, sun' },
  { file: 'calendar-spec.ts', text: 'must be text like "09:00-17:00", not' },
  {
    file: 'calendar-spec.ts',
    text: 'is not a time range; ${RANGES_HELP}',
    line: 'is not a time range; write HH:MM-HH:MM',
  },
  {
    file: 'calendar-spec.ts',
    text: 'starts at 24:00, which is allowed only as an end; start at 00:00 of the next day instead',
  },
  {
    file: 'calendar-spec.ts',
    text: 'is reversed: it ends when it starts (an end earlier than the start means a range running past midnight)',
  },
  {
    file: 'calendar-spec.ts',
    text: 'no working hours on any day; give some ranges, or leave hours out for a 24x7 calendar',
  },
  { file: 'calendar-spec.ts', text: 'overlaps ${where}', line: /: ".*" overlaps "/ },
  {
    file: 'calendar-spec.ts',
    text: "'s range ${JSON.stringify(cur.text)}",
    line: /: ".*" overlaps (mon|tue|wed|thu|fri|sat)'s range "/,
  },
  { file: 'calendar-spec.ts', text: "'s range ${JSON.stringify(cur.text)}", line: /: ".*" overlaps sun's range "/ },
  { file: 'calendar-spec.ts', text: 'must be an object with country, region and/or dates' },
  { file: 'calendar-spec.ts', text: 'is not a holidays field; use country, region, dates' },
  { file: 'calendar-spec.ts', text: 'must be a list of dates like ["2026-12-24"]' },
  {
    file: 'calendar-spec.ts',
    text: 'is not a date; write YYYY-MM-DD',
    line: /dates\[\d+\]: ".*" is not a date; write YYYY-MM-DD$/,
  },
  {
    file: 'calendar-spec.ts',
    text: 'is not a date; write YYYY-MM-DD',
    line: /dates\[\d+\]: \d+ is not a date; write YYYY-MM-DD$/,
  },
  { file: 'calendar-spec.ts', text: 'a region needs a country next to it' },
  {
    file: 'calendar-spec.ts',
    text: 'is not a country we know public holidays for; use a two-letter code such as US, GB or DE',
  },
  { file: 'calendar-spec.ts', text: 'has no regions with their own holidays' },
  {
    file: 'calendar-spec.ts',
    text: "known regions: ${known.slice(0, 12).join(', ')}",
    line: /known regions: [A-Z, ]+$/,
  },
  { file: 'calendar-spec.ts', text: "known.length > 12 ? ', …' : ''", line: /known regions: [A-Z, ]+, …$/ },
];

/** What zod writes when a schema gives no message of its own: never shown to people. */
const ZOD_DEFAULT = /Invalid input|Unrecognized key|Too (small|big)|expected [a-z]+, received/;

const matches = (line: string, pattern: string | RegExp) =>
  typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line);

describe('every validation message is covered by a broken file', () => {
  const allLines = fixtures.flatMap((f) => f.expected);

  it.each(FAMILIES.map((f) => [String(f.line ?? f.text), f] as const))(
    '%s appears in some fixture',
    (_name, family) => {
      expect(allLines.filter((l) => matches(l, family.line ?? family.text))).not.toEqual([]);
    },
  );

  it('every family is still written in the source it names (a reworded message needs its family updated)', () => {
    const sources = new Map<string, string>();
    const source = (file: string) => {
      if (!sources.has(file)) sources.set(file, readFileSync(path.join(ROOT, 'functions', 'domain', file), 'utf8'));
      return sources.get(file)!;
    };
    expect(FAMILIES.filter((f) => !source(f.file).includes(f.text)).map((f) => `${f.file}: ${f.text}`)).toEqual([]);
  });

  it('every expected line belongs to a known family', () => {
    expect(allLines.filter((l) => !FAMILIES.some((f) => matches(l, f.line ?? f.text)))).toEqual([]);
  });

  it('no fixture expects a message zod makes up on its own', () => {
    expect(allLines.filter((l) => ZOD_DEFAULT.test(l))).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------------------

/** Whether `issuePath` names a value of `raw`, or a missing key of an object that is there. */
function pathFits(raw: unknown, issuePath: readonly PropertyKey[]): boolean {
  let at: unknown = raw;
  for (const [i, key] of issuePath.entries()) {
    const last = i === issuePath.length - 1;
    if (typeof key === 'number') {
      if (!Array.isArray(at) || key >= at.length) return false;
      at = at[key];
    } else if (typeof key === 'string') {
      if (at === null || typeof at !== 'object' || Array.isArray(at)) return false;
      if (!Object.hasOwn(at, key)) return last;
      at = (at as Record<string, unknown>)[key];
    } else return false;
  }
  return true;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = string | number;

function pathsOf(value: Json, prefix: Step[] = []): Step[][] {
  const out: Step[][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i], ...pathsOf(v, [...prefix, i]));
    });
  } else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}

const EXAMPLE_JSON = parse(EXAMPLE) as Json;
const EXAMPLE_PATHS = pathsOf(EXAMPLE_JSON);

/** Replacement values: wrong types, near misses, and anything JSON. */
const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    0,
    -1,
    1.5,
    1e12,
    '',
    ' ',
    '16x',
    '0m',
    'P5',
    '*',
    'it',
    'finance',
    'XX',
    '25:00-26:00',
    [],
    {},
    ['U0ABC1234'],
    { P1: '4h' },
  ),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

type Mutation = { kind: 'delete' | 'replace'; at: number; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete' as const, 'replace' as const),
  at: fc.nat({ max: EXAMPLE_PATHS.length - 1 }),
  value: replacement,
});

function mutate(mutations: Mutation[]): Json {
  const out = JSON.parse(JSON.stringify(EXAMPLE_JSON)) as Json;
  for (const m of mutations) {
    const p = EXAMPLE_PATHS[m.at]!;
    let parent: Json = out;
    for (const step of p.slice(0, -1)) {
      if (parent === null || typeof parent !== 'object') break;
      parent = (parent as Record<string, Json>)[step as string] ?? null;
    }
    const key = p[p.length - 1]!;
    if (Array.isArray(parent) && typeof key === 'number' && key < parent.length) {
      if (m.kind === 'delete') parent.splice(key, 1);
      else parent[key] = structuredClone(m.value);
    } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent) && typeof key === 'string') {
      if (m.kind === 'delete') delete parent[key];
      // A copy: the replacements `[]` and `{}` are shared constants, and a later mutation writing
      // into one would make the input contain itself, which this property's own JSON.stringify
      // cannot print (the import itself is not at fault).
      else parent[key] = structuredClone(m.value);
    }
  }
  return out;
}

function checkAnyInput(raw: unknown, kind: FixtureDirectory): void {
  const before = JSON.stringify(raw);
  const dir = directoryFor(kind);
  const r = validateImport(raw, dir);
  expect(JSON.stringify(raw)).toBe(before);
  if (r.ok) {
    expect(() => planImport(r.value, dir, NOW)).not.toThrow();
    return;
  }
  expect(r.error.length).toBeGreaterThan(0);
  for (const issue of r.error) {
    const line = issueLine(issue);
    expect(line.startsWith(formatPath(issue.path))).toBe(true);
    expect(line).not.toMatch(ZOD_DEFAULT);
    if (!pathFits(raw, issue.path))
      throw new Error(`${line}\n  names a path that is not in the input: ${JSON.stringify(raw)}`);
  }
}

describe('validateImport on any input', () => {
  it('never throws, answers ok or with problems whose paths are in the file, for any JSON value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              departments: fc.jsonValue({ maxDepth: 3 }),
              agreements: fc.jsonValue({ maxDepth: 3 }),
              digest: fc.jsonValue({ maxDepth: 2 }),
              tips: fc.jsonValue({ maxDepth: 3 }),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.constantFrom<FixtureDirectory>('empty', 'kept-it'),
        (raw, kind) => checkAnyInput(raw, kind),
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws, answers ok or with problems whose paths are in the file, for the example with fields deleted or swapped', () => {
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.constantFrom<FixtureDirectory>('empty', 'kept-it'),
        (mutations, kind) => checkAnyInput(mutate(mutations), kind),
      ),
      { numRuns: 2000 },
    );
  });

  it('a deleted required field is reported at its own path', () => {
    const raw = mutate([
      {
        kind: 'delete',
        at: EXAMPLE_PATHS.findIndex((p) => p.join('.') === 'agreements.0.penalty.per_breach'),
        value: null,
      },
    ]);
    expect(linesOf(raw, EMPTY_DIRECTORY)).toEqual(['agreements[0].penalty.per_breach: per_breach is required']);
  });
});

// -------------------------------------------------------------------------------------------------

describe('tips in the file', () => {
  const NEW_TIP = {
    id: 'int-ask-for-the-deadline',
    title: 'Ask when it is needed',
    body: 'A request without a date gets either rushed or forgotten. Ask when the answer is needed and why, so you can plan it and say early if it will be late.',
    try_this_week: 'Ask for the real deadline on every request you take this week.',
  };
  const builtIn = (kind: 'internal' | 'customer') => builtInTips().filter((t) => t.kind === kind);
  const FIRST_CUS = builtIn('customer')[0]!;
  const FIRST_INT = builtIn('internal')[0]!;
  const catalogue = (changes: TipChange[]): CatalogueEntry[] => overlayCatalogue(builtInTips(), changes);

  /** The stored changes after a plan is applied, as store/tips.ts keeps them. */
  function store(changes: TipChange[], plan: ImportPlan): TipChange[] {
    const byId = new Map(changes.map((c) => [c.id, { ...c }]));
    for (const c of plan.changes) {
      if (c.kind === 'tip.add') byId.set(c.tip.id, { id: c.tip.id, tip: c.tip, source: 'custom' });
      else if (c.kind === 'tip.edit')
        byId.set(c.tip.id, { ...byId.get(c.tip.id), id: c.tip.id, tip: c.tip, source: c.source });
      else if (c.kind === 'tip.retire' || c.kind === 'tip.unretire')
        byId.set(c.id, { ...byId.get(c.id), id: c.id, retired: c.kind === 'tip.retire' });
    }
    return [...byId.values()];
  }

  function plan(raw: unknown, changes: TipChange[] = []): ImportPlan {
    const tips = catalogue(changes);
    const r = validateImport(raw, EMPTY_DIRECTORY, tips);
    if (!r.ok) throw new Error(r.error.map(issueLine).join('\n'));
    return planImport(r.value, EMPTY_DIRECTORY, NOW, tips);
  }

  it('accepts a retirement, new words for a built-in tip and a new tip whose kind comes from its id or is given', () => {
    const raw = {
      tips: [
        { id: FIRST_CUS.id, retired: true },
        { id: FIRST_INT.id, title: '  Leave a note that stands alone ' },
        NEW_TIP,
        { ...NEW_TIP, id: 'cus-say-when-you-will-call', title: 'Say when you will call back', kind: 'customer' },
      ],
    };
    const r = validateImport(raw, EMPTY_DIRECTORY);
    if (!r.ok) throw new Error(r.error.map(issueLine).join('\n'));
    expect(r.value.tips).toEqual([
      { id: FIRST_CUS.id, kind: 'customer', retired: true },
      { id: FIRST_INT.id, kind: 'internal', title: 'Leave a note that stands alone' },
      {
        id: NEW_TIP.id,
        kind: 'internal',
        title: NEW_TIP.title,
        body: NEW_TIP.body,
        tryThisWeek: NEW_TIP.try_this_week,
      },
      {
        id: 'cus-say-when-you-will-call',
        kind: 'customer',
        title: 'Say when you will call back',
        body: NEW_TIP.body,
        tryThisWeek: NEW_TIP.try_this_week,
      },
    ]);
  });

  it('plans add, edit, retire and unretire only where something differs; the second run plans nothing', () => {
    const raw = {
      tips: [
        { id: FIRST_CUS.id, retired: true },
        { id: FIRST_INT.id, title: 'Leave a note that stands alone' },
        NEW_TIP,
      ],
    };
    const first = plan(raw);
    expect(first.unchanged).toBe(0);
    expect(first.changes).toEqual([
      { kind: 'tip.retire', id: FIRST_CUS.id, title: FIRST_CUS.title },
      { kind: 'tip.edit', source: 'edit', tip: { ...FIRST_INT, title: 'Leave a note that stands alone' } },
      {
        kind: 'tip.add',
        tip: {
          id: NEW_TIP.id,
          kind: 'internal',
          title: NEW_TIP.title,
          body: NEW_TIP.body,
          tryThisWeek: NEW_TIP.try_this_week,
        },
      },
    ]);
    const stored = store([], first);
    expect(plan(raw, stored)).toEqual({ changes: [], unchanged: 3 });

    // Bringing a tip back, and a custom tip reworded, stays custom; the tips the file leaves out are not touched.
    const next = plan(
      {
        tips: [
          { id: FIRST_CUS.id, retired: false },
          { id: NEW_TIP.id, try_this_week: 'Ask for the real deadline on three requests this week.' },
        ],
      },
      stored,
    );
    expect(next.changes.map((c) => c.kind)).toEqual(['tip.unretire', 'tip.edit']);
    expect(next.changes[1]).toMatchObject({
      kind: 'tip.edit',
      source: 'custom',
      tip: { id: NEW_TIP.id, title: NEW_TIP.title },
    });
    const after = catalogue(store(stored, next));
    expect(after.find((e) => e.tip.id === FIRST_INT.id)).toMatchObject({
      source: 'edit',
      tip: { title: 'Leave a note that stands alone' },
    });
    expect(after.find((e) => e.tip.id === FIRST_CUS.id)).toMatchObject({ retired: false });
  });

  it('a tip named without a retirement keeps the one it has; words equal to the kept ones change nothing', () => {
    const stored: TipChange[] = [{ id: FIRST_CUS.id, retired: true }];
    expect(plan({ tips: [{ id: FIRST_CUS.id, title: FIRST_CUS.title, body: FIRST_CUS.body }] }, stored)).toEqual({
      changes: [],
      unchanged: 1,
    });
  });

  it('a custom tip Kept keeps is known: the file may retire it without its words', () => {
    const stored = store([], plan({ tips: [NEW_TIP] }));
    expect(plan({ tips: [{ id: NEW_TIP.id, retired: true }] }, stored).changes).toEqual([
      { kind: 'tip.retire', id: NEW_TIP.id, title: NEW_TIP.title },
    ]);
    expect(linesOf({ tips: [{ id: NEW_TIP.id, retired: true }] }, EMPTY_DIRECTORY)).toEqual([
      `tips[0].title: title is required: ${NEW_TIP.id} is a new tip (it is not one of Kept's tips yet)`,
      `tips[0].body: body is required: ${NEW_TIP.id} is a new tip (it is not one of Kept's tips yet)`,
      `tips[0].try_this_week: try_this_week is required: ${NEW_TIP.id} is a new tip (it is not one of Kept's tips yet)`,
    ]);
  });

  it('refuses to retire the last tip of a kind, counting tips retired already and tips the file adds', () => {
    const all = builtIn('customer');
    const allButOne = all.slice(1).map((t) => ({ id: t.id, retired: true }));
    const lines = (raw: unknown, changes: TipChange[] = []) => {
      const r = validateImport(raw, EMPTY_DIRECTORY, catalogue(changes));
      return r.ok ? [] : r.error.map(issueLine);
    };
    expect(lines({ tips: allButOne })).toEqual([]);
    expect(lines({ tips: allButOne }, [{ id: all[0]!.id, retired: true }])).toEqual([
      `tips[${allButOne.length - 1}].retired: would retire the last customer tip in rotation; keep at least one of each kind`,
    ]);
    const newCustomer = { ...NEW_TIP, id: 'cus-say-when-you-will-call', title: 'Say when you will call back' };
    expect(lines({ tips: [...allButOne, newCustomer] }, [{ id: all[0]!.id, retired: true }])).toEqual([]);
    expect(
      lines({ tips: [...allButOne, { id: all[0]!.id, retired: false }] }, [{ id: all[0]!.id, retired: true }]),
    ).toEqual([]);
  });

  it('a file without tips plans nothing for tips and needs nothing about them', () => {
    expect(validFile(parse(EXAMPLE)).tips).toEqual([]);
  });
});

describe('weekly customer figures in the file', () => {
  const file = {
    departments: [
      { id: 'sales', name: 'Sales', heads: ['U0SALHEAD1'], channel: 'C0SALES01', calendar: { timezone: 'UTC' } },
    ],
    metrics: [
      { department: 'sales', metric: 'nps', week: '2026-W47', value: 38 },
      { department: 'sales', metric: 'nps', week: '2026-W48', value: 41 },
    ],
  };

  it('are read, planned once, and a changed week replaces its value', () => {
    const value = validFile(file);
    expect(value.metrics).toEqual(file.metrics);
    const first = planImport(value, EMPTY_DIRECTORY, NOW);
    expect(first.changes.filter((c) => c.kind === 'metric.set')).toHaveLength(2);
    const kept = file.metrics;
    const again = planImport(value, EMPTY_DIRECTORY, NOW, undefined, kept);
    expect(again.changes.filter((c) => c.kind === 'metric.set')).toEqual([]);
    const changed = validFile({ ...file, metrics: [{ ...file.metrics[1]!, value: 44 }] });
    expect(planImport(changed, EMPTY_DIRECTORY, NOW, undefined, kept).changes).toContainEqual({
      kind: 'metric.set',
      value: { department: 'sales', metric: 'nps', week: '2026-W48', value: 44 },
      replaces: 41,
    });
  });
});
