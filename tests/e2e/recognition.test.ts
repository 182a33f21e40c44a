/**
 * Recognition tied to outcomes, the way Slack drives Kept: the requester's resolved DM has a
 * "Say thanks" button that opens the kudos form with whoever resolved it picked and the request
 * linked, counted in the same daily quota; only the requester may use it. A miss the requester
 * says was put right earns the providing team a "turned it around" line in next week's digest,
 * whose tip follows the week's most common cause of misses and which sets a front-line
 * department's customer figure beside the compliance of what it received.
 */

import { LogLevel } from '@slack/web-api';
import { builtInTips } from '../../functions/domain/tips';
import { digestSlackClient, runDigest } from '../../functions/jobs/digest';
import { storeSources } from '../../functions/jobs/digest-content';
import { IDS } from '../../functions/slack/ids';
import { PutCommand } from '../../functions/store/commands';
import { digestItem } from '../../functions/store/directory';
import { givenOn, kudosOfWeek } from '../../functions/store/kudos';
import { putMetric } from '../../functions/store/metrics';
import { getRequest } from '../../functions/store/requests';
import { fileThroughModal, keptScan } from '../support/app-steps';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import { allItems } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, stateOf, viewSubmission } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const { opsMember, salesMember, salesHead } = OPS_FOR_SALES;
const MINUTE = 60_000;
const DIGEST_CHANNEL = 'C0KEPTWEEK';

let app: RunningSlackApp;
const clock = testClock('2026-11-24T10:00');

beforeAll(async () => {
  app = await startSlackApp({ KEPT_KUDOS_DAILY_QUOTA: '2' }, { now: clock.now });
  await importCompany(app.db, opsForSales(), clock.now());
});
afterAll(() => app.stop());

let clicks = 0;
async function click(actionId: string, value: string, user: string, message?: { channel: string; ts: string }) {
  const key = `g-${++clicks}`;
  const payload = buttonClick(
    { action_id: actionId, value },
    user,
    app.fake.responseUrl(key),
    message?.channel ?? `D${user}`,
    message ? { message: { ts: message.ts } } : {},
  );
  const res = await postSigned(app.url, interactivity(payload));
  expect(res.status).toBe(200);
  await app.http.idle();
  return key;
}

type Answer = { response_action?: string; errors?: Record<string, string> };
async function submit(
  view: Record<string, unknown>,
  values: Record<string, Record<string, unknown>>,
  user: string,
  viewId?: string,
) {
  const res = await postSigned(app.url, interactivity(viewSubmission(view, values, user, viewId)));
  expect(res.status).toBe(200);
  await app.http.idle();
  return (res.text ? res.json() : {}) as Answer;
}

/** The kudos form as Slack would send it back: its pre-filled people and text, unchanged unless told. */
function kudosValues(view: Record<string, unknown>, message?: string): Record<string, Record<string, unknown>> {
  const values = stateOf(
    view as { blocks: unknown[] },
    message === undefined ? {} : { [IDS.kudosMessageBlock]: message },
  );
  const people = (view.blocks as { block_id?: string; element?: { initial_users?: string[] } }[]).find(
    (b) => b.block_id === IDS.kudosRecipientsBlock,
  )?.element?.initial_users;
  values[IDS.kudosRecipientsBlock] = { [IDS.value]: { type: 'multi_users_select', selected_users: people ?? [] } };
  return values;
}

async function resolveAsOps(id: string, cause: string) {
  await click(IDS.requestAction.resolve, id, opsMember);
  const answer = await submit(
    app.fake.lastModal(),
    stateOf(app.fake.lastModal() as { blocks: unknown[] }, {
      [IDS.resolveNoteBlock]: 'Restarted the demo cluster',
      [IDS.resolveCauseBlock]: cause,
      [IDS.resolveCauseTextBlock]: '',
    }),
    opsMember,
  );
  expect(answer).toEqual({});
}

/** The requester's resolved DM about `id`. */
function resolvedDmOf(id: string) {
  const dm = app.fake.posted.filter(
    (m) => m.channel === salesMember && String(m.text).startsWith(`:white_check_mark: Operations resolved ${id}`),
  );
  expect(dm).toHaveLength(1);
  return dm[0]!;
}

it('the resolved DM thanks whoever resolved it, in the same quota, and only for the requester', async () => {
  let id = '';
  await step('a request missed its response target and was resolved by an Ops member', async () => {
    id = await fileThroughModal(app, {
      user: salesMember,
      dept: 'ops',
      agreement: 'ops-for-sales',
      priority: 'P1',
      title: 'Demo for ACME is down',
    });
    clock.advance(45 * MINUTE);
    await keptScan(app, clock.now().getTime());
    await app.http.idle();
    clock.advance(10 * MINUTE);
    await resolveAsOps(id, 'handoff');
    expect(JSON.stringify(resolvedDmOf(id).blocks)).toContain(IDS.sayThanks);
  });

  await step('someone else pressing Say thanks hears the standard word, and nothing is written', async () => {
    const before = (await allItems(app.db)).length;
    await click(IDS.sayThanks, id, salesHead);
    expect(JSON.stringify(app.fake.lastModal())).toContain(`Only the person who filed ${id} can thank its resolver`);
    expect((await allItems(app.db)).length).toBe(before);
  });

  const day = '2026-11-24';
  await step('the requester gets the kudos form with the resolver picked and the request linked', async () => {
    await click(IDS.sayThanks, id, salesMember);
    const modal = app.fake.lastModal();
    expect(modal.callback_id).toBe(IDS.kudosModal);
    const text = JSON.stringify(modal);
    expect(text).toContain(`"initial_users":["${opsMember}"]`);
    expect(text).toContain(`"initial_value":"${id}"`);
    expect(text).toContain(`Thank you for sorting out ${id}`);

    // Sent once; Slack delivering the same submission again gives nothing more.
    const viewId = 'VTHANKS001';
    const sent = await submit(modal, kudosValues(modal, 'You got the demo back before the call'), salesMember, viewId);
    expect(sent.response_action).toBe('update');
    expect(JSON.stringify(sent)).toContain(`Thanked <@${opsMember}>. You have 1 kudos left today.`);
    expect(await submit(modal, kudosValues(modal), salesMember, viewId)).toEqual({});
    expect(await givenOn(app.db, salesMember, day)).toBe(1);
    const week = await kudosOfWeek(app.db, '2026-W48');
    expect(week.messages.map((m) => [m.giver, m.recipients, m.message])).toEqual([
      [salesMember, [opsMember], 'You got the demo back before the call'],
    ]);
    // Linked to the request, it counts for Operations, who worked it.
    expect(week.byDepartment.ops).toBe(1);
    const dm = app.fake.posted.filter((m) => m.channel === opsMember && String(m.text).includes('gave you kudos'));
    expect(dm).toHaveLength(1);
    expect(JSON.stringify(dm[0]!.blocks)).toContain(`for ${id}`);
  });

  await step('pressing it again and really sending again is a second kudos, until the quota says no', async () => {
    await click(IDS.sayThanks, id, salesMember);
    const again = app.fake.lastModal();
    expect((await submit(again, kudosValues(again), salesMember)).response_action).toBe('update');
    expect(await givenOn(app.db, salesMember, day)).toBe(2);

    await click(IDS.sayThanks, id, salesMember);
    const third = app.fake.lastModal();
    const refused = await submit(third, kudosValues(third), salesMember);
    expect(refused.response_action).toBe('errors');
    expect(refused.errors?.[IDS.kudosRecipientsBlock]).toBe(
      'You have given your 2 kudos for today. More tomorrow: the count starts again at midnight where you are.',
    );
    expect(await givenOn(app.db, salesMember, day)).toBe(2);
    expect((await getRequest(app.db, id))?.requester).toBe(salesMember);
  });

  await step(
    'put right, as the requester says: next week’s digest thanks Operations, and its tip is about handoffs',
    async () => {
      const dm = resolvedDmOf(id);
      await click(IDS.recoveredYes, JSON.stringify({ id, recovered: true }), salesMember, dm);
      expect((await getRequest(app.db, id))?.recovery?.confirmed?.recovered).toBe(true);
      // Sales' customers' weekly NPS came in through `kept metrics push`.
      for (const [week, value] of [
        ['2026-W46', 38],
        ['2026-W47', 40],
        ['2026-W48', 41],
      ] as const)
        await putMetric(app.db, { department: 'sales', metric: 'nps', week, value }, { by: 'pipeline', at: 'now' });
      const digest = await digestOn(new Date('2026-11-30T14:30:00Z'));
      const turned = digest.find((t) => t.startsWith('*Turned it around*'));
      expect(turned).toBe(
        `*Turned it around* (misses put right, as the requesters told Kept)\n:sparkles: Operations turned it around for Sales on ${id} — thank you.`,
      );
      // Its one miss was put down to a handoff: the week's internal tip is about handoffs, and says why.
      const tip = digest.find((t) => t.startsWith('*Tip: '))!;
      expect(tip).toContain("_Last week's misses came most often from handoffs, so this one is about that._");
      const title = /^\*Tip: (.+)\*\n/.exec(tip)![1];
      const chosen = builtInTips().find((t) => t.title === title);
      expect(chosen?.causes).toContain('handoff');
      // Sales received 0% last week (its one request missed), beside its customers' latest NPS.
      expect(digest).toContain(
        "*What colleagues received, beside their customers' figures*\n*Sales* · received 0% last week · nps 41 (week 48) · not yet two weeks with both figures",
      );
    },
  );
});

/** Runs the digest job at `at` for #kept-weekly (Mondays 09:00 New York); the texts of its sections. */
async function digestOn(at: Date): Promise<string[]> {
  await app.db.doc.send(
    new PutCommand({
      TableName: app.db.table,
      Item: digestItem({ channel: DIGEST_CHANNEL, weekday: 'mon', time: '09:00', timezone: 'America/New_York' }),
    }),
  );
  const slack = digestSlackClient(
    { SLACK_API_URL: app.fake.url, SLACK_BOT_TOKEN: 'xoxb-test' },
    { logLevel: LogLevel.ERROR },
  );
  expect(await runDigest({ db: app.db, slack, sources: storeSources(app.db) }, at)).toMatchObject({ posted: 1 });
  const posted = app.fake.posted.filter((m) => m.channel === DIGEST_CHANNEL).at(-1);
  return ((posted?.blocks ?? []) as { type: string; text?: { text: string } }[]).flatMap((b) =>
    b.type === 'section' && b.text ? [b.text.text] : [],
  );
}
