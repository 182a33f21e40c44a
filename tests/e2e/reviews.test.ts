/**
 * A joint review from Slack's side: two P1 requests to IT miss both their targets on 1 December, the
 * fourth breach of the month crosses it-for-finance's ×2 tier, and the digest's run opens a review:
 * IT's head and Finance's head each get one DM. A Finance member pressing "Agree a fix" is told they
 * head neither side; IT's head opens the form, is told what is wrong with an empty fix and a past
 * day, then agrees a fix; Finance's head reads it. Fourteen days after the agreed day, at IT's first
 * working instant, the follow-up says the fix held. Signed requests into the real app; the jobs run
 * through the CLI at a fixed --now, their work in the same process.
 */

import { IDS } from '../../functions/slack/ids';
import { PutCommand } from '../../functions/store/commands';
import { digestItem } from '../../functions/store/directory';
import { getRequest } from '../../functions/store/requests';
import { getReview, reviewsOf } from '../../functions/store/reviews';
import { fileThroughModal, keptCli, keptScan } from '../support/app-steps';
import { importExample } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, viewSubmission } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const IT_HEAD = 'U0ITHEAD1';
const KEY = 'tier|2026-12|3';

let app: RunningSlackApp;
/** Tuesday 1 December 2026, 10:00 in New York: IT is open. */
const clock = testClock('2026-12-01T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importExample(app.db, clock.now());
});
afterAll(() => app.stop());

const dmsTo = (user: string, text: string) =>
  app.fake.posted.filter((m) => m.channel === user && String(m.text).includes(text));

/** `user` presses "Agree a fix" in their review DM; the modal as it reads once filled. */
async function pressAgree(user: string): Promise<Record<string, unknown>> {
  const dm = dmsTo(user, "Let's fix the cause together")[0] ?? dmsTo(IT_HEAD, "Let's fix the cause together")[0]!;
  const value = JSON.stringify({ agreement: 'it-for-finance', key: KEY });
  const pressed = await postSigned(
    app.url,
    interactivity(
      buttonClick({ action_id: IDS.reviewAgree, value }, user, app.fake.responseUrl(`review-${user}`), dm.channel, {
        message: { ts: dm.ts, blocks: (dm.blocks ?? []) as unknown[] },
      }),
    ),
  );
  expect(pressed.status).toBe(200);
  await app.http.idle();
  return app.fake.lastModal();
}

/** Submits the fix form as Slack would send it; Kept's answer (errors, or nothing). */
async function submit(
  view: Record<string, unknown>,
  user: string,
  input: { fix: string; owner: string | null; date: string | null },
): Promise<{ response_action?: string; errors?: Record<string, string> }> {
  const values = {
    [IDS.reviewFixBlock]: { [IDS.value]: { type: 'plain_text_input', value: input.fix } },
    [IDS.reviewOwnerBlock]: { [IDS.value]: { type: 'users_select', selected_user: input.owner } },
    [IDS.reviewDateBlock]: { [IDS.value]: { type: 'datepicker', selected_date: input.date } },
  };
  const res = await postSigned(app.url, interactivity(viewSubmission(view, values, user)));
  expect(res.status).toBe(200);
  await app.http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

it('a tier crossed: both heads review, one agrees a fix, the other reads it, and the follow-up says it held', async () => {
  const ids: string[] = [];
  await step(
    'two P1 requests to IT miss both their targets: the fourth breach of December crosses the ×2 tier',
    async () => {
      for (const title of ['Laptop will not boot', 'Locked out of the ledger'])
        ids.push(await fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P1', title }));
      const scanned = (await keptScan(app, '2026-12-02T20:00:00Z')).join('\n');
      expect(scanned).toContain('4 breaches recorded');
    },
  );

  await step("the digest's run opens one review; each head gets one DM with the breaches and a button", async () => {
    expect((await keptCli(app, ['digest', '--now', '2026-12-02T20:15:00Z'])).join('\n')).toContain(
      'Reviews: 1 joint review opened.',
    );
    expect((await keptCli(app, ['digest', '--now', '2026-12-02T20:30:00Z'])).join('\n')).not.toContain('Reviews');
    for (const head of [IT_HEAD, FIN_HEAD]) {
      const dms = dmsTo(head, "Let's fix the cause together");
      expect(dms).toHaveLength(1);
      const blocks = JSON.stringify(dms[0]!.blocks);
      expect(blocks).toContain('breach 3 of December 2026 moved the penalty to ×2');
      expect(blocks).toContain('4 breaches this month so far');
      expect(blocks).toContain('Laptop will not boot');
      expect(blocks).toContain('Locked out of the ledger');
      expect(blocks).toContain(IDS.reviewAgree);
    }
  });

  const revs = async () => Promise.all(ids.map(async (id) => (await getRequest(app.db, id))?.rev));
  const before = await revs();

  await step('a Finance member who heads neither side is told so, and nothing is written', async () => {
    const modal = await pressAgree(FIN_MEMBER);
    expect(JSON.stringify(modal.blocks)).toContain('you are not a head of either side');
    expect((await getReview(app.db, 'it-for-finance', KEY))?.agreed).toBeUndefined();
  });

  await step("IT's head opens the form; an empty fix, no owner and a past day get their own errors", async () => {
    clock.set('2026-12-03T10:00');
    const modal = await pressAgree(IT_HEAD);
    expect(modal.callback_id).toBe(IDS.reviewModal);
    const answer = await submit(modal, IT_HEAD, { fix: '  ', owner: null, date: '2026-12-02' });
    expect(answer.response_action).toBe('errors');
    expect(answer.errors?.[IDS.reviewFixBlock]).toContain('Write down the fix');
    expect(answer.errors?.[IDS.reviewOwnerBlock]).toContain('Choose the person');
    expect(answer.errors?.[IDS.reviewDateBlock]).toContain('That day has passed; choose 2026-12-03 or later');
    expect((await getReview(app.db, 'it-for-finance', KEY))?.agreed).toBeUndefined();
  });

  await step("IT's head agrees a fix; Finance's head reads it; a second submit is told who agreed", async () => {
    const modal = await pressAgree(IT_HEAD);
    expect(
      await submit(modal, IT_HEAD, { fix: 'Spare laptops ready at month end', owner: IT_HEAD, date: '2026-12-09' }),
    ).toEqual({});
    for (const head of [IT_HEAD, FIN_HEAD]) {
      const agreed = dmsTo(head, 'A fix is agreed for IT · Laptops and accounts');
      expect(agreed).toHaveLength(1);
      expect(JSON.stringify(agreed[0]!.blocks)).toContain('Spare laptops ready at month end');
    }
    const again = await submit(modal, FIN_HEAD, { fix: 'Something else', owner: FIN_HEAD, date: '2026-12-10' });
    expect(again.errors?.[IDS.reviewFixBlock]).toContain(`already agreed by <@${IT_HEAD}>`);
    const [review] = await reviewsOf(app.db, 'it-for-finance');
    expect(review?.agreed).toMatchObject({ fix: 'Spare laptops ready at month end', owner: IT_HEAD, by: IT_HEAD });
    // Wednesday 23 December (9 + 14) at 09:00 in New York, IT's first working instant that day.
    expect(new Date(review!.agreed!.followUpAt).toISOString()).toBe('2026-12-23T14:00:00.000Z');
    // The requests' histories are not touched.
    expect(await revs()).toEqual(before);
  });

  await step('fourteen days after the agreed day the follow-up tells both heads the fix held', async () => {
    expect((await keptCli(app, ['digest', '--now', '2026-12-23T13:55:00Z'])).join('\n')).not.toContain('follow-up');
    expect((await keptCli(app, ['digest', '--now', '2026-12-23T14:00:00Z'])).join('\n')).toContain(
      '1 follow-up handed to the worker',
    );
    expect((await keptCli(app, ['digest', '--now', '2026-12-23T14:15:00Z'])).join('\n')).not.toContain('follow-up');
    for (const head of [IT_HEAD, FIN_HEAD])
      expect(dmsTo(head, 'The fix held on IT · Laptops and accounts')).toHaveLength(1);
    expect((await getReview(app.db, 'it-for-finance', KEY))?.followUp).toMatchObject({ outcome: 'held', count: 0 });
  });

  await step('the reports say so: `kept report` and `/sla report` have a Joint reviews section', async () => {
    const table = (await keptCli(app, ['report', '--dept', 'it', '--from', '2026-12-01', '--to', '2026-12-31'])).join(
      '\n',
    );
    expect(table).toContain('Joint reviews');
    expect(table).toContain(
      'IT · Laptops and accounts: breach 3 of December 2026 moved the penalty to ×2; fix agreed, and it held',
    );
    const report = async (user: string) => {
      const res = await postSigned(app.url, slashCommand({ text: 'report it 2026-12', user_id: user }));
      expect(res.status).toBe(200);
      return JSON.stringify((res.json() as { blocks?: unknown[] }).blocks);
    };
    // IT's head reads the penalty that started it; anyone else reads the count of misses only.
    expect(await report(IT_HEAD)).toContain(
      'breach 3 of December 2026 moved the penalty to ×2; fix agreed, and it held',
    );
    for (const user of [FIN_HEAD, FIN_MEMBER]) {
      const blocks = await report(user);
      expect(blocks).toContain('*Joint reviews*');
      expect(blocks).toContain('December 2026 reached 3 breaches; fix agreed, and it held');
      expect(blocks).not.toContain('×2');
    }
  });
  await step("the next Monday's digest tells everyone the fix held, without the penalty", async () => {
    await app.db.doc.send(
      new PutCommand({
        TableName: app.db.table,
        Item: digestItem({ channel: 'C0DIGEST1', weekday: 'mon', time: '09:00', timezone: 'America/New_York' }),
      }),
    );
    expect((await keptCli(app, ['digest', '--now', '2026-12-28T14:30:00Z'])).join('\n')).toContain('posted');
    const digest = JSON.stringify(app.fake.posted.filter((m) => m.channel === 'C0DIGEST1').at(-1)?.blocks);
    expect(digest).toContain('*Fixing causes together*');
    expect(digest).toContain('December 2026 reached 3 breaches; fix agreed, and it held');
    expect(digest).toContain('Thank you, both sides.');
    expect(digest).not.toContain('×2');
    expect(digest).not.toContain('Spare laptops');
  });
});
