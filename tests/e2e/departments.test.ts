/** `/sla dept ...` through signed slash commands: admins shape departments, everyone reads them. */
import type { SlackHttp } from '../../functions/slack/http-server';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { allItems } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { eventEnvelope, JSON_TYPE, postSigned, slashCommand } from '../support/slack-requests';
import { step } from '../support/step';

const ADMIN = 'U0ADMIN01';
const ANA = 'U0ANAHEAD';
const BEN = 'U0BENMEM1';

let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;

let app: RunningSlackApp;
beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN });
  ({ fake, db, http, url } = app);
});
afterAll(() => app.stop());

async function dept(text: string, user = ADMIN): Promise<{ text: string; blocks?: unknown[] }> {
  const res = await postSigned(url, slashCommand({ text: `dept ${text}`.trim(), user_id: user }));
  expect(res.status).toBe(200);
  return res.json() as { text: string; blocks?: unknown[] };
}

it('an admin sets up a department from Slack, step by step', async () => {
  await step('says there are none yet, and how to add one', async () => {
    expect((await dept('')).text).toMatch(/No departments yet/);
  });

  await step('refuses changes from someone who is not an admin, naming who can, and writes nothing', async () => {
    const before = (await allItems(db)).length;
    const answer = await dept(`create it "IT" <#C0ITQUEUE|it-queue> America/New_York <@${ANA}|ana>`, ANA);
    expect(answer.text).toBe(`Changing departments needs a Kept admin (<@${ADMIN}>).`);
    expect((await allItems(db)).length).toBe(before);
  });

  await step('lets an admin create a department from Slack mentions, with a weekday calendar in its zone', async () => {
    const answer = await dept(
      `create it “Information Technology” <#C0ITQUEUE|it-queue> America/New_York <@${ANA}|ana>`,
    );
    expect(answer.text).toBe(
      'Created *Information Technology* (`it`): request IDs IT-1, IT-2, …; cards go to <#C0ITQUEUE>; working hours weekdays 09:00-17:00 America/New_York.',
    );
    const [it] = (await readDirectory(db)).departments;
    expect(it).toMatchObject({
      id: 'it',
      name: 'Information Technology',
      heads: [ANA],
      channel: 'C0ITQUEUE',
      prefix: 'IT',
      calendar: { timezone: 'America/New_York' },
    });
    expect(JSON.stringify((await dept('it', BEN)).blocks)).toContain('Information Technology');
  });

  await step(
    'refuses a bad timezone, a bad id, no head, an existing id and a clashing request prefix, each with a specific reply, writing nothing',
    async () => {
      const cases: [string, string, RegExp][] = [
        [
          'a bad timezone',
          `create hr "HR" <#C0HRQUEUE|hr> Mars/Olympus <@${ANA}>`,
          /calendar\.timezone: "Mars\/Olympus" is not a known IANA timezone/,
        ],
        ['a bad id', `create H_R "HR" <#C0HRQUEUE|hr> Europe/London <@${ANA}>`, /id: "H_R" is not a department id/],
        ['no head', `create hr "HR" <#C0HRQUEUE|hr> Europe/London`, /^To create a department:/],
        [
          'an existing id',
          `create it "IT again" <#C0HRQUEUE|hr> Europe/London <@${ANA}>`,
          /^There is already a department `it`/,
        ],
        [
          'a clashing request prefix',
          `create i-t "IT two" <#C0HRQUEUE|hr> Europe/London <@${ANA}>`,
          /would start IT-, like those of `it`/,
        ],
      ];
      for (const [what, text, message] of cases) {
        await step(`refuses ${what}`, async () => {
          const before = await readDirectory(db);
          expect((await dept(text)).text).toMatch(message);
          expect(await readDirectory(db)).toEqual(before);
        });
      }
    },
  );

  await step('adds and removes heads and members, but never the last head', async () => {
    expect((await dept(`members it add <@${BEN}|ben>`)).text).toBe(`Information Technology members: <@${BEN}>.`);
    expect((await dept(`heads it remove <@${ANA}>`)).text).toMatch(/needs at least one head/);
    expect((await dept(`heads it add <@U0CARLA01>`)).text).toBe(
      `Information Technology heads: <@${ANA}>, <@U0CARLA01>.`,
    );
    expect((await dept(`heads it remove <@${ANA}>`)).text).toBe('Information Technology heads: <@U0CARLA01>.');
    expect((await readDirectory(db)).departments[0]).toMatchObject({ heads: ['U0CARLA01'], members: [BEN] });
  });

  await step('takes members from a Slack user group, read by the worker after the answer', async () => {
    fake.setUsergroup('S0ITTEAM1', ['U0DANA001', 'U0EVAN001']);
    fake.reset();
    const answer = await dept('group it <!subteam^S0ITTEAM1|@it-team>');
    expect(answer.text).toMatch(/now takes members from <!subteam\^S0ITTEAM1>/);
    await http.idle();
    expect(fake.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S0ITTEAM1']);
    expect((await readDirectory(db)).departments[0]).toMatchObject({
      usergroup: 'S0ITTEAM1',
      usergroupMembers: ['U0DANA001', 'U0EVAN001'],
    });
    // A member through the group finds their department's agreements without naming it.
    const res = await postSigned(url, slashCommand({ text: 'agreements', user_id: 'U0EVAN001' }));
    expect(JSON.stringify(res.json())).toContain('Agreements binding Information Technology');
  });

  await step(
    'reads the group again when Slack says its members changed: a newcomer is in at once; a re-delivered event or another group reads nothing more',
    async () => {
      fake.setUsergroup('S0ITTEAM1', ['U0DANA001', 'U0EVAN001', 'U0FAY0001']);
      fake.reset();
      const changed = (group: string, eventId: string) =>
        eventEnvelope(
          {
            type: 'subteam_members_changed',
            subteam_id: group,
            team_id: 'T0KEPT0001',
            date_previous_update: 1780000000,
            date_update: 1780000100,
            added_users: ['U0FAY0001'],
            added_users_count: '1',
          },
          eventId,
        );
      for (const body of [
        changed('S0ITTEAM1', 'Ev0GROUP001'),
        changed('S0ITTEAM1', 'Ev0GROUP001'),
        changed('S0OTHERS1', 'Ev0GROUP002'),
      ]) {
        expect((await postSigned(url, body, { contentType: JSON_TYPE })).status).toBe(200);
      }
      await http.idle();
      expect(fake.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['S0ITTEAM1']);
      expect((await readDirectory(db)).departments[0]?.usergroupMembers).toEqual([
        'U0DANA001',
        'U0EVAN001',
        'U0FAY0001',
      ]);
      const res = await postSigned(url, slashCommand({ text: 'agreements', user_id: 'U0FAY0001' }));
      expect(JSON.stringify(res.json())).toContain('Agreements binding Information Technology');
    },
  );

  await step('moves the request cards to another channel', async () => {
    expect((await dept('channel it <#C0NEWQUEUE|new-queue>')).text).toMatch(/request cards now go to <#C0NEWQUEUE>/);
    expect((await readDirectory(db)).departments[0]?.channel).toBe('C0NEWQUEUE');
  });
});
