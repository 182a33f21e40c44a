/**
 * `/sla audit [dept]` through signed slash commands: a department's head and a Kept admin see its
 * last changes (an admin's change from Slack among them); anyone else gets one line and nothing
 * of the trail.
 */
import type { Db } from '../../functions/store/client';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';

const ADMIN = 'U0ADMIN01';
const IT_HEAD = 'U0ITHEAD1';
const FIN_HEAD = 'U0FINHEAD';
const STRANGER = 'U0NOBODY1';

let app: RunningSlackApp;
let db: Db;
beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN });
  db = app.db;
  await importExample(db);
});
afterAll(() => app.stop());

async function sla(text: string, user: string): Promise<{ text: string; response_type?: string }> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  return res.json() as Promise<{ text: string; response_type?: string }>;
}

it("an admin's change in Slack shows in the department's trail, for its head and for an admin", async () => {
  const added = await sla(`dept members it add <@U0NEWMEM1|new>`, ADMIN);
  expect(added.text).toContain('members');

  const forHead = await sla('audit', IT_HEAD); // the department they head
  expect(forHead.response_type).toBe('ephemeral');
  const lines = forHead.text.split('\n');
  expect(lines[0]).toMatch(/^\*IT: the last \d+ changes\*, oldest first/);
  expect(lines.at(-1)).toMatch(
    new RegExp(`^• \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC: <@${ADMIN}>: department \`it\` updated \\(members\\)$`),
  );
  expect(forHead.text).toContain('(command line): department `it` created');
  expect(forHead.text).toContain('agreement `it-for-finance` created by import');

  const forAdmin = await sla('audit it', ADMIN);
  expect(forAdmin.text).toBe(forHead.text);
  expect((await sla('audit finance', FIN_HEAD)).text).toContain('agreement `it-for-finance` created by import');
});

it('refuses anyone else with one line, writing nothing and showing nothing of the trail', async () => {
  const before = (await allItems(db)).length;
  const other = await sla('audit it', FIN_HEAD);
  expect(other).toMatchObject({ response_type: 'ephemeral' });
  expect(other.text).toBe(
    `Only the heads of IT and Kept admins can read its audit trail; ask one of its heads (<@${IT_HEAD}>) if you need to know what changed.`,
  );
  expect((await sla('audit IT', STRANGER)).text).toBe(other.text);
  expect((await sla('audit', STRANGER)).text).toMatch(
    /^Say which department's changes to show: `\/sla audit \[dept\]`/,
  );
  expect((await sla('audit nowhere', STRANGER)).text).toBe('There is no department `nowhere`. `/sla dept` lists them.');
  expect((await sla('audit it finance', ADMIN)).text).toBe('Name one department: `/sla audit [dept]`.');
  expect((await allItems(db)).length).toBe(before);
});

it('lists audit in the help', async () => {
  expect((await sla('help', STRANGER)).text + JSON.stringify(await sla('help', STRANGER))).toContain('/sla audit');
});
