/**
 * Steps the e2e tests take the way people do, against a running app (slack-app.ts): the `kept`
 * command with the app's table and fake Slack, and a request filed through the /sla new modal.
 */
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import { IDS } from '../../functions/slack/ids';
import { requestsOf } from '../../functions/store/requests';
import { testEndpoint } from './db';
import type { RunningSlackApp } from './slack-app';
import { postSigned, slashCommand, submitView } from './slack-requests';

/** `kept <argv>` as a person runs it, against the app's table and fake Slack: its output lines (it must succeed). */
export async function keptCli(app: RunningSlackApp, argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readFile: async () => '',
    env: {
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: app.fake.url,
      DYNAMODB_ENDPOINT: testEndpoint(),
      KEPT_TABLE: app.db.table,
    },
  };
  expect(await kept(argv, io)).toBe(0);
  expect(err).toEqual([]);
  return out;
}

/** `kept scan --now <at>`: its output lines. */
export const keptScan = (app: RunningSlackApp, at: number | string): Promise<string[]> =>
  keptCli(app, ['scan', '--now', new Date(at).toISOString()]);

/**
 * `user` files a request through `/sla new <dept>` and its modal, as Slack would send them; the
 * new request's ID.
 */
export async function fileThroughModal(
  app: RunningSlackApp,
  input: { user: string; agreement: string; priority: string; title: string; dept?: string },
): Promise<string> {
  const { url, http, fake, db } = app;
  const command = `new ${input.dept ?? 'it'}`;
  expect((await postSigned(url, slashCommand({ text: command, user_id: input.user }))).status).toBe(200);
  await http.idle();
  const view = fake.lastModal();
  const typed = {
    [IDS.requestServiceBlock]: input.agreement,
    [IDS.requestPriorityBlock]: input.priority,
    [IDS.requestTitleBlock]: input.title,
    [IDS.requestDescriptionBlock]: '',
  };
  const answer = await postSigned(url, submitView(view, typed, input.user));
  expect(answer.status).toBe(200);
  await http.idle();
  const filed = (await requestsOf(db, input.user)).find((r) => r.title === input.title);
  expect(filed).toBeDefined();
  return filed!.id;
}
