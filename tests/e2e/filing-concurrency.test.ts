/**
 * A Monday morning: many people submit the new-request form at the same moment, all to IT, while
 * IT's requests change. Every submission must be filed once, under its own number, with its card and
 * its confirmation DM, and nobody may see an error. Speed is measured in `npm run bench`, not here.
 */

import { IDS } from '../../functions/slack/ids';
import { FILING_BUSY } from '../../functions/slack/listeners/requests-filing';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { collideTransactions } from '../support/faults';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  buttonClick,
  interactivity,
  postSigned,
  slashCommand,
  stateOf,
  viewSubmission,
} from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_MEMBER = 'U0ITMEM01';
const IT_CHANNEL = 'C0ITQUEUE';
/** Two people in Finance (it-for-finance and it-for-everyone) and one in Support (it-for-everyone). */
const PEOPLE = ['U0FINMEM1', 'U0FINHEAD', 'U0SUPMEM1'];
const EACH = 10;

const clock = testClock();
let app: RunningSlackApp;

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importExample(app.db);
});
afterAll(() => app.stop());

/** `/sla new` as `user`: the modal Kept opened for them. */
async function openForm(user: string): Promise<Record<string, unknown>> {
  const before = app.fake.callsTo('views.open').length;
  const res = await postSigned(app.url, slashCommand({ text: 'new', user_id: user }));
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  await app.http.idle();
  expect(app.fake.callsTo('views.open')).toHaveLength(before + 1);
  return app.fake.lastModal();
}

const requestsIn = async () => (await allItems(app.db)).filter((i) => i.sk === 'REQ');

it('30 forms submitted at the same moment by three people: 30 requests, 30 numbers, 30 cards, 30 DMs, no error', async () => {
  // Two requests already filed, so acknowledging them writes IT's day counter during the rush.
  const earlier: string[] = [];
  for (const title of ['Printer jammed', 'Projector flickers']) {
    const form = await openForm('U0SUPMEM2');
    const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: title };
    const res = await postSigned(
      app.url,
      interactivity(viewSubmission(form, stateOf(form as never, typed), 'U0SUPMEM2')),
    );
    expect(res.status).toBe(200);
    await app.http.idle();
    earlier.push(String((await requestsIn()).find((r) => r.title === title)!.id));
  }
  const before = (await requestsIn()).length;
  app.fake.reset();

  // Each person opens ten forms (one `/sla new` each), then all 30 are submitted at once.
  const forms = [];
  for (const user of PEOPLE)
    for (let n = 1; n <= EACH; n++) {
      const form = await openForm(user);
      const typed = {
        [IDS.requestPriorityBlock]: 'P2',
        [IDS.requestTitleBlock]: `Rush ${user} ${n}`,
        [IDS.requestDescriptionBlock]: 'Submitted with everyone else',
      };
      forms.push(interactivity(viewSubmission(form, stateOf(form as never, typed), user)));
    }
  const clicks = earlier.map((id) =>
    interactivity(
      buttonClick(
        { action_id: IDS.requestAction.acknowledge, value: id },
        IT_MEMBER,
        app.fake.responseUrl(id),
        IT_CHANNEL,
      ),
    ),
  );
  const answers = await Promise.all([...forms, ...clicks].map((body) => postSigned(app.url, body)));
  await app.http.idle();

  // Every form closed: a 200 with an empty body, never Slack's error or a message on the form.
  for (const res of answers.slice(0, forms.length)) {
    expect(res.status).toBe(200);
    expect(res.text ? res.json() : {}).toEqual({});
  }
  const rush = (await requestsIn()).filter((r) => String(r.title).startsWith('Rush '));
  expect(rush).toHaveLength(PEOPLE.length * EACH);
  expect(new Set(rush.map((r) => r.id)).size).toBe(PEOPLE.length * EACH);
  expect(new Set(rush.map((r) => r.title)).size).toBe(PEOPLE.length * EACH);
  expect((await requestsIn()).length).toBe(before + PEOPLE.length * EACH);

  const posts = app.fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
  for (const r of rush) {
    const id = String(r.id);
    const cards = posts.filter(
      (c) => c.args.channel === IT_CHANNEL && !c.args.thread_ts && JSON.stringify(c.args.blocks).includes(`"${id}"`),
    );
    expect(cards).toHaveLength(1);
    const dms = posts.filter(
      (c) => c.args.channel === r.requester && String(c.args.text).startsWith(`Filed *${id}* with IT`),
    );
    expect(dms.length).toBeGreaterThanOrEqual(1);
  }
  // The two acknowledgements landed too, during the rush.
  const acknowledged = (await requestsIn()).filter((r) => earlier.includes(String(r.id)));
  expect(acknowledged.map((r) => r.status)).toEqual(['acknowledged', 'acknowledged']);
});

it('when collisions outlast the time Slack gives, the form stays open with an apology and a way on; nothing is filed', async () => {
  const collisions = collideTransactions(app.db);
  const before = (await requestsIn()).length;
  const form = await openForm('U0FINMEM1');
  const typed = { [IDS.requestPriorityBlock]: 'P2', [IDS.requestTitleBlock]: 'Monitor is dead' };
  const body = interactivity(viewSubmission(form, stateOf(form as never, typed), 'U0FINMEM1', 'VBUSY0001'));
  const res = await postSigned(app.url, body);
  expect(res.status).toBe(200);
  expect(res.json()).toEqual({ response_action: 'errors', errors: { [IDS.requestTitleBlock]: FILING_BUSY } });
  expect(FILING_BUSY).toMatch(/^Sorry, .* Nothing was filed: press Submit again\.$/);
  expect((await requestsIn()).length).toBe(before);

  collisions.heal();
  const again = await postSigned(
    app.url,
    interactivity(viewSubmission(form, stateOf(form as never, typed), 'U0FINMEM1', 'VBUSY0001')),
  );
  expect(again.status).toBe(200);
  expect(again.text ? again.json() : {}).toEqual({});
  await app.http.idle();
  expect((await requestsIn()).filter((r) => r.title === 'Monitor is dead')).toHaveLength(1);
});
