/**
 * The audit trail on DynamoDB Local: every path that changes a department, an agreement, an admin
 * setting or a penalty leaves its line (who, when, before, after) in the same transaction, and a
 * change refused on its condition leaves none.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { validateImport } from '../../functions/domain/import-file';
import { planImport } from '../../functions/domain/import-plan';
import { draftProposal } from '../../functions/domain/proposal';
import { builtInTips } from '../../functions/domain/tips';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { acceptProposal, declineProposal, saveProposal } from '../../functions/store/agreements';
import { AUDIT_KEPT, type AuditLine, readAudit } from '../../functions/store/audit';
import type { Db } from '../../functions/store/client';
import { deliveryClaimItem } from '../../functions/store/deliveries';
import { saveDepartment } from '../../functions/store/departments';
import { readDirectory } from '../../functions/store/directory';
import { applyImport } from '../../functions/store/import';
import { addCustomTip, saveTipText, setTipRetired, TipExistsError } from '../../functions/store/tips';
import { WriteConflictError } from '../../functions/store/transact';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { dropTable, freshTable } from '../support/db';

const example = parse(readFileSync(path.join(__dirname, '..', '..', 'examples', 'company.yaml'), 'utf8'));
const ADMIN = 'U0ADMIN01';

let db: Db;
beforeEach(async () => {
  db = await freshTable();
});
afterEach(() => dropTable(db));

async function importFile(file: unknown, now: string, by?: string): Promise<void> {
  const dir = await readDirectory(db);
  const checked = validateImport(file, dir);
  if (!checked.ok) throw new Error(JSON.stringify(checked.error));
  await applyImport(db, planImport(checked.value, dir, now), dir, now, by);
}

/** Every line of every department's trail and Kept's own, as `kept audit` reads them. */
async function everything(): Promise<AuditLine[]> {
  const dir = await readDirectory(db);
  return readAudit(db, [...dir.departments.map((d) => d.id), AUDIT_KEPT]);
}

const brief = (l: AuditLine) => `${l.by} ${l.subject} ${l.id} ${l.action}`;
const json = (text: string | undefined) => (text === undefined ? undefined : JSON.parse(text));

it('an import records one line per department, agreement and digest setting it changes, by who ran it', async () => {
  await importFile(example, '2026-11-25T12:00:00.000Z', 'cli:ana');
  const lines = await everything();
  expect(lines.map(brief).sort()).toEqual(
    [
      'department finance created',
      'department it created',
      'department people-ops created',
      'department support created',
      'agreement finance-for-people-ops created by import',
      'agreement it-for-everyone created by import',
      'agreement it-for-finance created by import',
      'agreement people-ops-for-support created by import',
      'digest C0GENERAL created',
    ]
      .map((s) => `cli:ana ${s}`)
      .sort(),
  );
  expect(lines.every((l) => l.at === '2026-11-25T12:00:00.000Z' && l.before === undefined)).toBe(true);
  // A change between two departments is in both their trails; one for every department only in the provider's.
  expect((await readAudit(db, ['finance'])).map(brief)).toEqual(
    expect.arrayContaining(['cli:ana agreement it-for-finance created by import']),
  );
  expect((await readAudit(db, ['finance'])).map(brief)).not.toContain(
    'cli:ana agreement it-for-everyone created by import',
  );
  expect((await readAudit(db, [AUDIT_KEPT])).map(brief)).toEqual(['cli:ana digest C0GENERAL created']);

  // The same file again changes nothing and records nothing.
  await importFile(example, '2026-11-25T13:00:00.000Z', 'cli:ana');
  expect(await everything()).toHaveLength(lines.length);

  // A changed department and agreement: before and after, as they were and are.
  const changed = {
    ...example,
    departments: example.departments.map((d: { id: string }) => (d.id === 'it' ? { ...d, name: 'Tech' } : d)),
    agreements: example.agreements.map((a: { id: string }) =>
      a.id === 'it-for-finance' ? { ...a, penalty: { unit: 'points', per_breach: 99 } } : a,
    ),
  };
  await importFile(changed, '2026-11-26T09:00:00.000Z', 'cli:ben');
  const later = await readAudit(db, ['it'], { since: '2026-11-26' });
  // One import's lines share its instant (their order among themselves is not kept).
  const [dept, agreement] = [...later].sort((a, b) => a.subject.localeCompare(b.subject)).reverse();
  expect([dept, agreement].map((l) => brief(l!))).toEqual([
    'cli:ben department it updated',
    'cli:ben agreement it-for-finance imported',
  ]);
  expect(json(dept!.before)).toMatchObject({ id: 'it', name: 'IT' });
  expect(json(dept!.after)).toMatchObject({ id: 'it', name: 'Tech' });
  expect(json(agreement!.before)).toMatchObject({ version: 1, status: 'active' });
  expect(json(agreement!.after)).toMatchObject({ version: 2, status: 'active', penalty: { perBreach: 99 } });
});

it('a department changed from Slack is recorded with who did it, and a stale change leaves no line', async () => {
  await importFile(example, '2026-11-25T12:00:00.000Z');
  const dir = await readDirectory(db);
  const it_ = dir.departments.find((d) => d.id === 'it')!;
  await saveDepartment(db, { ...it_, heads: [...it_.heads, 'U0NEWHEAD'] }, 'update', dir.rev, {
    by: ADMIN,
    at: '2026-11-25T14:00:00.000Z',
    before: it_,
  });
  // The same decision made against the directory as it was: refused, and no line of it.
  await expect(
    saveDepartment(db, { ...it_, name: 'Stale' }, 'update', dir.rev, {
      by: ADMIN,
      at: '2026-11-25T14:01:00.000Z',
      before: it_,
    }),
  ).rejects.toBeInstanceOf(WriteConflictError);
  const lines = await readAudit(db, ['it'], { since: '2026-11-25T14:00:00Z' });
  expect(lines.map(brief)).toEqual([`${ADMIN} department it updated`]);
  expect(json(lines[0]!.after).heads).toContain('U0NEWHEAD');
  expect(json(lines[0]!.before).heads).not.toContain('U0NEWHEAD');
});

it('proposals made, accepted, declined and withdrawn by an import each leave a line in both sides’ trails', async () => {
  await importFile(example, '2026-11-25T12:00:00.000Z');
  const propose = async (perBreach: number, now: string, view: string) => {
    const dir = await readDirectory(db);
    const record = dir.agreements.find((a) => a.id === 'it-for-finance')!;
    const proposal = draftProposal({
      dir,
      terms: { ...record.active!, penalty: { ...record.active!.penalty, perBreach } },
      base: record,
      user: 'U0ITHEAD1',
      side: 'it',
      now,
    });
    await saveProposal(db, proposal, record, deliveryClaimItem(db, view));
    return { proposal, record, rev: dir.rev };
  };
  const first = await propose(70, '2026-11-25T13:00:00.000Z', 'view:A1');
  // The same submission delivered again is refused and records nothing more.
  await expect(saveProposal(db, first.proposal, first.record, deliveryClaimItem(db, 'view:A1'))).rejects.toBeInstanceOf(
    WriteConflictError,
  );
  await acceptProposal(db, first.record, first.proposal, {
    by: 'U0FINHEAD',
    at: '2026-11-25T14:00:00.000Z',
    rev: first.rev,
  });
  const second = await propose(80, '2026-11-25T15:00:00.000Z', 'view:A2');
  await declineProposal(db, second.proposal, { by: 'U0FINHEAD', at: '2026-11-25T16:00:00.000Z', reason: 'Too much' });
  await propose(90, '2026-11-25T17:00:00.000Z', 'view:A3');
  // The file's terms come back while a proposal waits: the import activates them and withdraws it.
  await importFile(example, '2026-11-25T18:00:00.000Z', 'cli:ana');

  for (const side of ['it', 'finance']) {
    const lines = (await readAudit(db, [side], { since: '2026-11-25T13:00:00Z' })).filter(
      (l) => l.id === 'it-for-finance',
    );
    const said = lines.map((l) => `${l.by} ${l.action} ${json(l.after).version} ${json(l.after).status}`);
    expect(said.slice(0, 5)).toEqual([
      'U0ITHEAD1 proposed 2 proposed',
      'U0FINHEAD accepted 2 active',
      'U0ITHEAD1 proposed 3 proposed',
      'U0FINHEAD declined 3 declined',
      'U0ITHEAD1 proposed 4 proposed',
    ]);
    // The import's two lines are one transaction, at one instant.
    expect(said.slice(5).sort()).toEqual([
      'cli:ana imported 5 active',
      'cli:ana proposal withdrawn by import 4 withdrawn',
    ]);
    expect(json(lines[1]!.before)).toMatchObject({ version: 1, status: 'active' });
    expect(json(lines[3]!.after)).toMatchObject({ declineReason: 'Too much' });
  }
});

it("admins' tip changes are recorded in Kept's own trail; adding an id that exists records nothing", async () => {
  const who = { by: ADMIN, at: '2026-11-25T12:00:00.000Z' };
  const builtIn = builtInTips()[0]!;
  const tip = { ...builtIn, id: 'say-hello', title: 'Say hello first' };
  await addCustomTip(db, tip, who);
  await expect(addCustomTip(db, tip, { ...who, at: '2026-11-25T12:01:00.000Z' })).rejects.toBeInstanceOf(
    TipExistsError,
  );
  await saveTipText(db, { ...tip, title: 'Say hello, always' }, 'custom', { ...who, at: '2026-11-25T12:02:00.000Z' });
  await setTipRetired(db, builtIn.id, true, { ...who, at: '2026-11-25T12:03:00.000Z' });
  await setTipRetired(db, builtIn.id, false, { by: 'U0OTHERADM', at: '2026-11-25T12:04:00.000Z' });

  const lines = await readAudit(db, [AUDIT_KEPT]);
  expect(lines.map(brief)).toEqual([
    `${ADMIN} tip say-hello added`,
    `${ADMIN} tip say-hello reworded`,
    `${ADMIN} tip ${builtIn.id} retired`,
    `U0OTHERADM tip ${builtIn.id} brought back`,
  ]);
  expect(json(lines[1]!.before)).toMatchObject({ title: 'Say hello first' });
  expect(json(lines[1]!.after)).toMatchObject({ title: 'Say hello, always' });
  expect(lines[2]!.before).toBeUndefined(); // the built-in tip as shipped
  expect(json(lines[3]!.before)).toMatchObject({ retired: true });
  expect(json(lines[3]!.after)).toMatchObject({ retired: false });
});

it('a waived penalty is recorded in both departments’ trails with the breach before and after; a refused waiver records nothing', async () => {
  await importCompany(db, opsForSales(), '2026-11-01T00:00:00Z');
  const filed = await fileFromSlack(db, {
    user: OPS_FOR_SALES.salesMember,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: 'Demo',
    description: '',
    delivery: 'view:W1',
    now: new Date('2026-11-10T15:00:00Z'),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  const id = filed.request.id;
  await runScan({ db }, new Date('2026-11-10T15:31:00Z'));
  const waive = (user: string) =>
    act(db, {
      id,
      user,
      action: { type: 'waive', kind: 'response', reason: 'Our mistake' },
      now: new Date('2026-11-10T16:00:00Z'),
    });
  const before = (await everything()).length;
  expect(await waive(OPS_FOR_SALES.opsHead)).toMatchObject({ outcome: 'refused' });
  expect(await everything()).toHaveLength(before);
  expect(await waive(OPS_FOR_SALES.salesHead)).toMatchObject({ outcome: 'done' });
  expect(await waive(OPS_FOR_SALES.salesHead)).toMatchObject({ outcome: 'refused' }); // already waived

  for (const side of ['ops', 'sales']) {
    const lines = (await readAudit(db, [side])).filter((l) => l.subject === 'penalty');
    expect(lines.map(brief)).toEqual([`${OPS_FOR_SALES.salesHead} penalty ${id}/response waived`]);
    expect(lines[0]!.at).toBe('2026-11-10T16:00:00.000Z');
    expect(json(lines[0]!.before).waived).toBeUndefined();
    expect(json(lines[0]!.after)).toMatchObject({ amount: 50, waived: { by: OPS_FOR_SALES.salesHead } });
  }
});
