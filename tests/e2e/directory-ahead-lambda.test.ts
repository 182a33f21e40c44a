/**
 * The Slack function starts reading the directory as its cold start fetches its secrets
 * (slack/lambda.ts, store/directory.ts readDirectoryAhead): the request that caused the cold start
 * takes that read as its own, and a later request reads the directory as it is when it arrives.
 * Through the Lambda handler and DynamoDB Local. (That a read nobody took is dropped, whatever the
 * timing, is shown in tests/integration/directory.test.ts.)
 */
import type { SlackLambdaHandler } from '../../functions/slack/lambda';
import { saveDepartment } from '../../functions/store/departments';
import { readDirectory } from '../../functions/store/directory';
import { importExample } from '../support/company';
import { LAMBDA_CONTEXT, type LambdaApp, lambdaHandler, startLambdaApp } from '../support/lambda-app';
import { FORM, httpApiEvent, signature, slashCommand } from '../support/slack-requests';

const NEWCOMER = 'U0NEWCOMER';

let app: LambdaApp;
beforeAll(async () => {
  app = await startLambdaApp(importExample);
});
afterAll(() => app.stop());

async function sla(handler: SlackLambdaHandler, text: string, user: string) {
  const body = slashCommand({ text, user_id: user });
  const res = await handler(httpApiEvent(body, { 'content-type': FORM, ...signature(body) }), LAMBDA_CONTEXT);
  await handler.idle();
  return res;
}

const modalText = () => JSON.stringify(app.fake.lastModal());

it("the cold start's /sla new opens the form from the read started with the app", async () => {
  const handler = lambdaHandler(app.fake, app.db);
  expect((await sla(handler, 'new', 'U0FINMEM1')).statusCode).toBe(200);
  expect(modalText()).toContain('Laptops and accounts'); // the form, with Finance's services from IT
  expect(modalText()).not.toContain('You are not in any department');
});

it("a department joined after the cold start shows in the next request's form", async () => {
  const handler = lambdaHandler(app.fake, app.db);
  // The cold start's request does not read the directory; the read started for it is dropped.
  const help = await sla(handler, 'help', NEWCOMER);
  expect(help.statusCode).toBe(200);
  const dir = await readDirectory(app.db);
  const finance = dir.departments.find((d) => d.id === 'finance')!;
  await saveDepartment(app.db, { ...finance, members: [...finance.members, NEWCOMER] }, 'update', dir.rev, {
    by: 'U0FINHEAD',
    at: new Date().toISOString(),
    before: finance,
  });
  expect((await sla(handler, 'new', NEWCOMER)).statusCode).toBe(200);
  expect(modalText()).not.toContain('You are not in any department');
  expect(modalText()).toContain('Laptops and accounts');
});
