/** Admins' tip changes in DynamoDB Local, laid over the built-in catalogue. */

import { builtInTips, pickTips, type Tip } from '../../functions/domain/tips';
import type { Db } from '../../functions/store/client';
import { QueryCommand } from '../../functions/store/commands';
import {
  addCustomTip,
  readAllTips,
  readCatalogue,
  readTipChanges,
  saveTipText,
  setTipRetired,
  TIPS_PK,
  TipExistsError,
  tipsForWeek,
} from '../../functions/store/tips';
import { allItems, dropTable, freshTable } from '../support/db';

let db: Db;
beforeEach(async () => {
  db = await freshTable();
});
afterEach(() => dropTable(db));

const who = { by: 'U0ADMIN01', at: '2026-11-23T09:00:00.000Z' };
const custom: Tip = {
  id: 'cus-ask-about-the-weekend',
  kind: 'customer',
  title: 'Ask about the weekend',
  body: "On a Monday call, one honest question about the customer's weekend, asked before business, sets a warmer tone for everything after it.",
  tryThisWeek: 'Ask three Monday callers about their weekend before you start.',
};
const [first, second] = builtInTips() as [Tip, Tip];

it('is the built-in catalogue when nothing is stored', async () => {
  expect(await readCatalogue(db)).toEqual(builtInTips());
  expect(await tipsForWeek(db, '2026-W48')).toEqual(pickTips(builtInTips(), '2026-W48'));
});

it('adds custom tips, replaces edited ones and leaves out retired ones, from items under TIPS', async () => {
  await addCustomTip(db, custom, who);
  await saveTipText(db, { ...first, body: `${first.body} Edited.` }, 'edit', who);
  await setTipRetired(db, second.id, true, who);

  const catalogue = await readCatalogue(db);
  expect(catalogue).toHaveLength(builtInTips().length); // one added, one retired
  expect(catalogue.find((t) => t.id === first.id)?.body).toBe(`${first.body} Edited.`);
  expect(catalogue.map((t) => t.id)).not.toContain(second.id);
  expect(catalogue.at(-1)).toEqual(custom);

  const all = await readAllTips(db);
  expect(all.find((e) => e.tip.id === second.id)).toEqual({ tip: second, source: 'built-in', retired: true });
  expect(all.find((e) => e.tip.id === first.id)?.source).toBe('edit');

  // Besides the tips, only their audit lines (tests/integration/audit.test.ts).
  const items = (await allItems(db)).filter((i) => !String(i.pk).startsWith('AUDIT#'));
  expect(items.map((i) => `${i.pk} ${i.sk}`).sort()).toEqual(
    [`TIPS TIP#${custom.id}`, `TIPS TIP#${first.id}`, `TIPS TIP#${second.id}`].sort(),
  );
  // A retirement of an unedited built-in tip stores only the flag, not a copy of the text.
  expect(items.find((i) => i.sk === `TIP#${second.id}`)).toEqual({
    pk: 'TIPS',
    sk: `TIP#${second.id}`,
    id: second.id,
    retired: true,
    updatedBy: who.by,
    updatedAt: who.at,
  });
});

it('keeps a retirement when the tip is edited afterwards, and brings a tip back with its edit', async () => {
  await setTipRetired(db, first.id, true, who);
  await saveTipText(db, { ...first, title: 'A new title' }, 'edit', who);
  expect((await readCatalogue(db)).map((t) => t.id)).not.toContain(first.id);
  await setTipRetired(db, first.id, false, who);
  expect((await readCatalogue(db)).find((t) => t.id === first.id)?.title).toBe('A new title');
});

it('refuses a second tip with the same id', async () => {
  await addCustomTip(db, custom, who);
  await expect(addCustomTip(db, { ...custom, title: 'Other' }, who)).rejects.toBeInstanceOf(TipExistsError);
  expect((await readCatalogue(db)).filter((t) => t.id === custom.id)).toEqual([custom]);
});

it('ignores a stored tip whose text fails the checks, but still honours its retirement', async () => {
  await saveTipText(db, { ...first, body: 'x'.repeat(400) }, 'edit', who);
  await saveTipText(db, { ...custom, body: 'y'.repeat(400) }, 'custom', who);
  await setTipRetired(db, custom.id, true, who);
  const all = await readAllTips(db);
  expect(all.find((e) => e.tip.id === first.id)).toEqual({ tip: first, source: 'built-in', retired: false });
  expect(all.find((e) => e.tip.id === custom.id)).toBeUndefined();
  expect(await readTipChanges(db)).toContainEqual({ id: custom.id, retired: true });
});

it('reads every change with one query, however many there are', async () => {
  const many = Array.from(
    { length: 120 },
    (_, i): Tip => ({ ...custom, id: `cus-custom-${i}`, title: `Custom ${i}`, body: `${custom.body} (${i})` }),
  );
  for (const t of many) await addCustomTip(db, t, who);
  const page = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': TIPS_PK },
    }),
  );
  expect(page.Count).toBe(120);
  expect(page.LastEvaluatedKey).toBeUndefined();
  const send = jest.spyOn(db.doc, 'send');
  expect(await readCatalogue(db)).toHaveLength(builtInTips().length + 120);
  expect(send).toHaveBeenCalledTimes(1);
  send.mockRestore();
  const week = await tipsForWeek(db, '2026-W48');
  expect(week.customer.kind).toBe('customer');
});
