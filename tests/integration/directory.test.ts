/** The directory and agreement versions on DynamoDB Local: revisions, conditions, idempotency. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateImport } from '../../functions/domain/import-file';
import { planImport } from '../../functions/domain/import-plan';
import { draftProposal } from '../../functions/domain/proposal';
import { acceptProposal, getAgreementVersion, saveProposal } from '../../functions/store/agreements';
import type { Db } from '../../functions/store/client';
import { deliveryClaimItem } from '../../functions/store/deliveries';
import { saveDepartment } from '../../functions/store/departments';
import { readDirectory, readDirectoryAhead } from '../../functions/store/directory';
import { applyImport } from '../../functions/store/import';
import { WriteConflictError } from '../../functions/store/transact';
import { dropTable, freshTable } from '../support/db';

const example = parse(readFileSync(path.join(__dirname, '..', '..', 'examples', 'company.yaml'), 'utf8'));
let db: Db;
beforeEach(async () => {
  db = await freshTable();
  const dir = await readDirectory(db);
  const file = validateImport(example, dir);
  if (!file.ok) throw new Error('the example must be valid');
  await applyImport(db, planImport(file.value, dir, '2026-11-25T12:00:00.000Z'), dir);
});
afterEach(() => dropTable(db));

it('reads back what the import wrote, with one revision per change', async () => {
  const dir = await readDirectory(db);
  expect(dir.departments.map((d) => d.id).sort()).toEqual(['finance', 'it', 'people-ops', 'support']);
  expect(dir.agreements.map((a) => [a.id, a.active?.version]).sort()).toEqual([
    ['finance-for-people-ops', 1],
    ['it-for-everyone', 1],
    ['it-for-finance', 1],
    ['people-ops-for-support', 1],
  ]);
  expect(dir.digests).toEqual([{ channel: 'C0GENERAL', weekday: 'mon', time: '09:00', timezone: 'America/New_York' }]);
  expect(dir.rev).toBe(9);
});

it("keeps a calendar's dates with their own hours, and a file that drops them changes the department", async () => {
  const it_ = example.departments.find((d: { id: string }) => d.id === 'it');
  const withOverrides = {
    departments: [
      { ...it_, calendar: { ...it_.calendar, overrides: { '2026-12-24': '09:00-13:00', '2026-12-31': '' } } },
    ],
  };
  const importFile = async (file: unknown) => {
    const dir = await readDirectory(db);
    const checked = validateImport(file, dir);
    if (!checked.ok) throw new Error(JSON.stringify(checked.error));
    const plan = planImport(checked.value, dir, '2026-11-26T12:00:00.000Z');
    await applyImport(db, plan, dir);
    return plan.changes.length;
  };
  expect(await importFile(withOverrides)).toBe(1);
  const dir = await readDirectory(db);
  expect(dir.departments.find((d) => d.id === 'it')!.calendar.overrides).toEqual({
    '2026-12-24': '09:00-13:00',
    '2026-12-31': '',
  });
  expect(await importFile(withOverrides)).toBe(0);
  expect(await importFile({ departments: [it_] })).toBe(1);
  expect((await readDirectory(db)).departments.find((d) => d.id === 'it')!.calendar.overrides).toBeUndefined();
});

it('refuses an acceptance decided on a directory that changed since it was read', async () => {
  const dir = await readDirectory(db);
  const record = dir.agreements.find((a) => a.id === 'it-for-finance')!;
  const proposal = draftProposal({
    dir,
    terms: { ...record.active!, penalty: { ...record.active!.penalty, perBreach: 70 } },
    base: record,
    user: 'U0ITHEAD1',
    side: 'it',
    now: '2026-11-25T13:00:00.000Z',
  });
  await saveProposal(db, proposal, record, deliveryClaimItem(db, 'view:V1'));
  const stale = await readDirectory(db);
  // Meanwhile an admin changes a department: the revision moves on.
  await saveDepartment(db, { ...stale.departments[0]!, name: 'Renamed' }, 'update', stale.rev, {
    by: 'U0ADMIN',
    at: '2026-11-25T13:30:00.000Z',
  });
  const pending = stale.agreements.find((a) => a.id === 'it-for-finance')!;
  await expect(
    acceptProposal(db, pending, proposal, { by: 'U0FINHEAD', at: '2026-11-25T14:00:00.000Z', rev: stale.rev }),
  ).rejects.toBeInstanceOf(WriteConflictError);
  expect((await getAgreementVersion(db, 'it-for-finance', 2))?.status).toBe('proposed');
  expect((await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.active?.version).toBe(1);
});

it('keeps a re-delivered proposal once: the second save fails on the delivery claim', async () => {
  const dir = await readDirectory(db);
  const record = dir.agreements.find((a) => a.id === 'it-for-finance')!;
  const proposal = draftProposal({
    dir,
    terms: { ...record.active!, service: 'Laptops, phones and accounts' },
    base: record,
    user: 'U0ITHEAD1',
    side: 'it',
    now: '2026-11-25T13:00:00.000Z',
  });
  await saveProposal(db, proposal, record, deliveryClaimItem(db, 'view:V2'));
  const again = saveProposal(db, proposal, record, deliveryClaimItem(db, 'view:V2'));
  // The claim, the version and the record refuse it (the audit lines after them never land).
  const refused = await again.catch((err: WriteConflictError) => err);
  expect((refused as WriteConflictError).reasons.slice(0, 3)).toEqual([
    'ConditionalCheckFailed',
    'ConditionalCheckFailed',
    'ConditionalCheckFailed',
  ]);
  expect((await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.latestVersion).toBe(2);
});

it('an import interrupted by another change stops, and running it again finishes without repeating anything', async () => {
  const changed = {
    ...example,
    agreements: example.agreements.map((a: { id: string; penalty: object }) =>
      a.id === 'it-for-everyone' ? { ...a, penalty: { unit: 'points', per_breach: 15 } } : a,
    ),
  };
  const dir = await readDirectory(db);
  const file = validateImport(changed, dir);
  if (!file.ok) throw new Error('valid');
  const plan = planImport(file.value, dir, '2026-11-26T09:00:00.000Z');
  expect(plan.changes.map((c) => c.kind)).toEqual(['agreement.activate']);
  await saveDepartment(db, { ...dir.departments[0]!, name: 'Meanwhile' }, 'update', dir.rev, {
    by: 'U0ADMIN',
    at: '2026-11-26T08:00:00.000Z',
  });
  await expect(applyImport(db, plan, dir)).rejects.toBeInstanceOf(WriteConflictError);
  expect((await readDirectory(db)).agreements.find((a) => a.id === 'it-for-everyone')?.latestVersion).toBe(1);

  const fresh = await readDirectory(db);
  const retry = validateImport(changed, fresh);
  if (!retry.ok) throw new Error('valid');
  await applyImport(db, planImport(retry.value, fresh, '2026-11-26T09:01:00.000Z'), fresh);
  const after = await readDirectory(db);
  expect(after.agreements.find((a) => a.id === 'it-for-everyone')?.active).toMatchObject({
    version: 2,
    penalty: { perBreach: 15 },
  });
  expect((await getAgreementVersion(db, 'it-for-everyone', 1))?.status).toBe('retired');
  const third = validateImport(changed, after);
  if (!third.ok) throw new Error('valid');
  // The department renamed meanwhile went back to the file's name (the file is the source of
  // truth), and a third run has nothing left to do.
  expect(after.departments.find((d) => d.id === dir.departments[0]!.id)?.name).not.toBe('Meanwhile');
  expect(planImport(third.value, after, '2026-11-26T09:02:00.000Z').changes).toEqual([]);
});

describe('a directory read started ahead (the Slack function cold start, slack/lambda.ts)', () => {
  /** Renames IT, as a head would between two reads (through another client: another instance). */
  async function renameIt(to: string): Promise<void> {
    const other = { ...db } as Db;
    const dir = await readDirectory(other);
    const it_ = dir.departments.find((d) => d.id === 'it')!;
    await saveDepartment(other, { ...it_, name: to }, 'update', dir.rev, {
      by: 'U0ITHEAD1',
      at: '2026-11-25T13:00:00.000Z',
      before: it_,
    });
  }
  const itName = (dir: { departments: Array<{ id: string; name: string }> }) =>
    dir.departments.find((d) => d.id === 'it')?.name;

  it('is what the next read on the same client returns, once; the read after it is fresh', async () => {
    const ahead = readDirectoryAhead(db);
    await ahead.read;
    await renameIt('IT Helpdesk');
    expect(itName(await readDirectory(db))).toBe('IT'); // the read made ahead, taken as its own
    expect(itName(await readDirectory(db))).toBe('IT Helpdesk');
  });

  it('once forgotten (its request answered without it), no later read is handed it', async () => {
    const ahead = readDirectoryAhead(db);
    await ahead.read;
    await renameIt('IT Helpdesk');
    ahead.forget();
    expect(itName(await readDirectory(db))).toBe('IT Helpdesk');
  });

  it('a failed read ahead fails the read that takes it, as its own would have, and is not kept', async () => {
    const failing = { ...db, table: 'kept-no-such-table' } as Db;
    const ahead = readDirectoryAhead(failing);
    await expect(ahead.read).rejects.toThrow();
    await expect(readDirectory(failing)).rejects.toThrow();
    expect(itName(await readDirectory(db))).toBe('IT'); // other clients never see it
  });
});
