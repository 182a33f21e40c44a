/**
 * The monthly statement from Slack's side: a request filed in October misses both its targets
 * (`kept scan`); on Monday 2 November 2026, the first working day of the month (the 1st is a
 * Sunday), `kept digest` at IT's opening hands October's statements on, and both heads of
 * it-for-finance get exactly one DM of it, however often the run goes. Finance's head presses
 * Waive in it, is asked why, and the ledger gains the waiver. Signed requests into the real app;
 * the jobs run through the CLI at a fixed --now, their work in the same process.
 */
import { readFile } from 'node:fs/promises';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { readLedger, readTotal } from '../../functions/store/ledger';
import { requestsOf } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { testEndpoint } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const IT_HEAD = 'U0ITHEAD1';

let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
/** Tuesday 27 October 2026, in IT's working hours (New York). */
const clock = testClock('2026-10-27T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  ({ fake, db, http, url } = app);
  await importExample(db, clock.now());
});
afterAll(() => app.stop());

function cli(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: db.table,
  };
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), readFile: (p) => readFile(p, 'utf8'), env },
    out,
    err,
  };
}

async function run(...argv: string[]): Promise<string> {
  const { io, out, err } = cli();
  expect(await kept(argv, io)).toBe(0);
  expect(err).toEqual([]);
  return out.join('\n');
}

/** Kept's statement DMs to `user` of it-for-finance. */
const statementDms = (user: string) =>
  fake.posted.filter((m) => m.channel === user && String(m.text).includes('statement for IT · Laptops and accounts'));

it("October's statement reaches both heads once on Monday 2 November, and Finance's head waives from it", async () => {
  let id = '';
  await step('a request filed in October misses both its targets', async () => {
    const res = await postSigned(url, slashCommand({ text: 'new it', user_id: FIN_MEMBER }));
    expect(res.status).toBe(200);
    await http.idle();
    const modal = fake.lastModal();
    const submitted = await postSigned(
      url,
      submitView(
        modal,
        {
          [IDS.requestPriorityBlock]: 'P1',
          [IDS.requestTitleBlock]: 'Month-end laptop will not boot',
          [IDS.requestDescriptionBlock]: '',
        },
        FIN_MEMBER,
      ),
    );
    expect(submitted.status).toBe(200);
    await http.idle();
    id = (await requestsOf(db, FIN_MEMBER))[0]!.id;
    expect(await run('scan', '--now', '2026-10-29T15:00:00Z')).toContain('2 breaches recorded');
    expect(await readTotal(db, 'it-for-finance', '2026-10')).toEqual({ breaches: 2, charged: 100, waived: 0 });
  });

  await step(
    'nothing before IT opens on Monday 2 November; then one statement DM per head, however often the run goes',
    async () => {
      await run('digest', '--now', '2026-11-01T15:00:00Z'); // Sunday
      // 08:59 in New York: the departments in Europe and Finance (open from 08:30) have theirs, IT not yet.
      await run('digest', '--now', '2026-11-02T13:59:00Z');
      expect(statementDms(IT_HEAD)).toEqual([]);
      expect(statementDms(FIN_HEAD)).toEqual([]);
      expect(await run('digest', '--now', '2026-11-02T14:00:00Z')).toContain(
        'Statements: 2 agreements of 2026-10 handed to the worker.', // IT's two
      );
      expect(await run('digest', '--now', '2026-11-02T14:15:00Z')).not.toContain('Statements');
      expect(await run('digest', '--now', '2026-11-03T14:00:00Z')).not.toContain('Statements');
      expect(statementDms(IT_HEAD)).toHaveLength(1);
      expect(statementDms(FIN_HEAD)).toHaveLength(1);
      const provider = JSON.stringify(statementDms(IT_HEAD)[0]!.blocks);
      expect(provider).toContain('We are sorry: IT missed 2 targets for Finance in October 2026');
      expect(provider).toContain('net 100 points');
      expect(provider).not.toContain(IDS.waivePenalty);
      const customer = JSON.stringify(statementDms(FIN_HEAD)[0]!.blocks);
      expect(customer.split(IDS.waivePenalty)).toHaveLength(3); // a Waive button per breach
    },
  );

  await step("Finance's head presses Waive in the statement, says why, and the ledger gains the waiver", async () => {
    const dm = statementDms(FIN_HEAD)[0]!;
    const value = JSON.stringify({ id, kind: 'response' });
    const responseUrl = fake.responseUrl('statement-waive');
    const pressed = await postSigned(
      url,
      interactivity(
        buttonClick({ action_id: IDS.waivePenalty, value }, FIN_HEAD, responseUrl, `D${dm.channel.slice(1)}`, {
          message: { ts: dm.ts, blocks: (dm.blocks ?? []) as unknown[] },
        }),
      ),
    );
    expect(pressed.status).toBe(200);
    await http.idle();
    const modal = fake.lastModal();
    expect(modal.callback_id).toBe(IDS.waiveModal);
    const submitted = await postSigned(
      url,
      submitView(modal, { [IDS.waiveReasonBlock]: 'Month-end rush on our side too' }, FIN_HEAD),
    );
    expect(submitted.status).toBe(200);
    await http.idle();
    const waivers = (await readLedger(db, 'it-for-finance', '2026-10')).filter((e) => e.type === 'waiver');
    expect(waivers).toEqual([
      expect.objectContaining({
        request: id,
        kind: 'response',
        amount: -50,
        by: FIN_HEAD,
        reason: 'Month-end rush on our side too',
      }),
    ]);
    expect(await readTotal(db, 'it-for-finance', '2026-10')).toEqual({ breaches: 2, charged: 100, waived: 50 });
    // The statement's line gives way to who waived it; the other breach keeps its button.
    const updated = JSON.stringify(
      fake
        .callsTo('chat.update')
        .filter((c) => c.args.ts === dm.ts)
        .at(-1)?.args.blocks ?? [],
    );
    expect(updated).toContain('You waived it');
    expect(updated.split(IDS.waivePenalty)).toHaveLength(2);
    // And the statement reads the same from the command line.
    const json = JSON.parse(await run('statement', '--dept', 'finance', '--month', '2026-10', '--format', 'json'));
    expect(json.receives.find((s: { agreementId: string }) => s.agreementId === 'it-for-finance').totals).toEqual({
      breaches: 2,
      charged: 100,
      waived: 50,
      net: 50,
    });
  });
});
