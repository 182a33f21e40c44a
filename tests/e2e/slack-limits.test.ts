/**
 * Slack's own limits while Slack waits for Kept's answer (in Lambda the whole listener runs before
 * the answer goes back): a Web API call that Slack rate-limits with a long Retry-After is reported
 * at once, not waited out, and the person gets a "try again" line instead of a time-out. Waiting
 * 30 s here would run into the test's own time-out, so each test passing shows nothing waited.
 */
import { IDS } from '../../functions/slack/ids';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { interactivity, messageShortcut, postSigned, slashCommand } from '../support/slack-requests';

const FIN_MEMBER = 'U0FINMEM1';
const IT_MEMBER = 'U0ITMEM01';

let app: RunningSlackApp;
beforeAll(async () => {
  app = await startSlackApp();
  await importExample(app.db);
});
afterAll(() => app.stop());
beforeEach(() => app.fake.reset());

async function command(
  command: string,
  text: string,
  responseId: string,
): Promise<{ answer: string; responses: string[] }> {
  const res = await postSigned(
    app.url,
    slashCommand({ command, text, user_id: FIN_MEMBER, response_url: app.fake.responseUrl(responseId) }),
  );
  expect(res.status).toBe(200);
  await app.http.idle();
  const answer = res.text ? String((res.json() as { text?: string }).text ?? '') : '';
  return { answer, responses: app.fake.callsTo(`response/${responseId}`).map((c) => String(c.args.text)) };
}

it('/kudos while Slack rate-limits users.info (Retry-After 30 s): one call, a try-again answer, no kudos kept', async () => {
  app.fake.rateLimit('users.info', 30, 10);
  const before = await allItems(app.db);
  const { answer } = await command('/kudos', `<@${IT_MEMBER}> sorted my laptop in ten minutes`, 'kudos-429');
  expect(answer).toBe('Slack did not answer when Kept looked up who you are thanking. Please try again in a moment.');
  // Two lookups in parallel (the giver and the recipient), each tried once: nothing waited out.
  expect(app.fake.callsTo('users.info').map((c) => c.outcome)).toEqual(['rate_limited', 'rate_limited']);
  expect(await allItems(app.db)).toEqual(before);
});

it('/sla new while Slack rate-limits views.open: one call, and the person is asked to run it again', async () => {
  app.fake.rateLimit('views.open', 30, 10);
  const { answer, responses } = await command('/sla', 'new', 'new-429');
  expect(answer).toBe('');
  expect(app.fake.callsTo('views.open').map((c) => c.outcome)).toEqual(['rate_limited']);
  expect(responses).toEqual(['Slack did not open the form in time. Please run `/sla new` again.']);
});

it('the "File as request" shortcut while views.open hangs: gives up after one retry and says so', async () => {
  app.fake.hang('views.open', 10);
  const res = await postSigned(
    app.url,
    interactivity({
      ...messageShortcut(IDS.fileRequestShortcut, app.fake.responseUrl('sc-hang')),
      user: { id: FIN_MEMBER, username: 'fin', team_id: 'T0KEPT0001', name: 'fin' },
    }),
  );
  expect(res.status).toBe(200);
  await app.http.idle();
  expect(app.fake.callsTo('views.open').map((c) => c.outcome)).toEqual(['hang', 'hang']);
  expect(app.fake.callsTo('response/sc-hang').map((c) => String(c.args.text))).toEqual([
    expect.stringMatching(/^Slack did not open the form in time\. Please .* again\.$/),
  ]);
});
