/**
 * When DynamoDB fails after Slack has its answer, the person who clicked or typed is told, in a
 * message only they see, instead of being left in silence; nothing is half-written, and the same
 * click works once DynamoDB is back.
 */
import { fileFromSlack } from '../../functions/services/requests';
import { COULD_NOT_FINISH } from '../../functions/slack/app';
import { IDS } from '../../functions/slack/ids';
import { getRequest } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_MEMBER = 'U0ITMEM01';
const clock = testClock();
let app: RunningSlackApp;
let failing: string | undefined;

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importExample(app.db);
  // DynamoDB refuses every call of the command named in `failing`, as during an outage.
  app.db.raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === failing)
        throw Object.assign(new Error('Service unavailable'), { name: 'InternalServerError' });
      return next(args);
    },
    { step: 'initialize', name: 'outage' },
  );
});
afterAll(() => app.stop());

it('a card button pressed while DynamoDB fails: "could not finish", the request unchanged; pressed again later, done', async () => {
  const filed = await fileFromSlack(app.db, {
    user: 'U0FINMEM1',
    agreementId: 'it-for-finance',
    priority: 'P2',
    title: 'Laptop will not boot',
    description: '',
    delivery: 'view:VFAIL1',
    now: clock.now(),
  });
  if (filed.outcome !== 'filed') throw new Error(filed.outcome);
  const id = filed.request.id;
  const press = async (n: number) => {
    const url = app.fake.responseUrl(`press-${n}`);
    const payload = buttonClick({ action_id: IDS.requestAction.acknowledge, value: id }, IT_MEMBER, url, 'C0ITQUEUE');
    expect((await postSigned(app.url, interactivity(payload))).status).toBe(200);
    await app.http.idle().catch(() => {});
    return app.fake.callsTo(`response/press-${n}`).map((c) => c.args);
  };

  failing = 'TransactWriteItemsCommand';
  expect(await press(1)).toEqual([{ response_type: 'ephemeral', replace_original: false, text: COULD_NOT_FINISH }]);
  expect((await getRequest(app.db, id))?.status).toBe('open');

  failing = undefined;
  expect(await press(2)).toEqual([]);
  expect((await getRequest(app.db, id))?.status).toBe('acknowledged');
});

it('a command that fails while DynamoDB fails tells the person the same way', async () => {
  failing = 'QueryCommand';
  const url = app.fake.responseUrl('list-1');
  const res = await postSigned(app.url, slashCommand({ text: 'list', user_id: IT_MEMBER, response_url: url }));
  expect(res.status).toBe(200);
  await app.http.idle().catch(() => {});
  failing = undefined;
  expect(app.fake.callsTo('response/list-1').map((c) => c.args.text)).toEqual([COULD_NOT_FINISH]);
});
