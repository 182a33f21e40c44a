/**
 * Agreements end to end, the way Slack drives Kept: agreements imported as code, then signed
 * slash commands, modal submissions and button clicks against the real app, with Kept's Web
 * API calls going to the fake Slack.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import { getAgreementVersion } from '../../functions/store/agreements';
import type { Db } from '../../functions/store/client';
import { readDirectory } from '../../functions/store/directory';
import { allItems, testEndpoint } from '../support/db';
import type { FakeSlack, RecordedCall } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { buttonClick, interactivity, postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';
const ADMIN = 'U0ADMIN01';

let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;

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

async function sla(text: string, user: string) {
  const res = await postSigned(url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  return res.text ? (res.json() as { text: string; blocks?: { text?: { text: string } }[] }) : undefined;
}

const blockText = (body: { text: string; blocks?: unknown[] } | undefined) =>
  JSON.stringify(body?.blocks ?? []) + (body?.text ?? '');

async function openProposeModal(user: string, arg = ''): Promise<Record<string, unknown>> {
  fake.reset();
  const body = await sla(`propose ${arg}`.trim(), user);
  expect(body).toBeUndefined(); // acknowledged without a message: the modal is the answer
  await http.idle();
  expect(fake.callsTo('views.open')).toHaveLength(1);
  return fake.lastModal();
}

async function submit(
  view: Record<string, unknown>,
  typed: Record<string, string | null>,
  user: string,
  viewId?: string,
  headers: Record<string, string> = {},
) {
  const res = await postSigned(url, submitView(view, typed, user, viewId), { headers });
  expect(res.status).toBe(200);
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

async function click(actionId: string, value: string, user: string) {
  const responseUrl = fake.responseUrl(`${actionId}-${user}-${Math.random().toString(36).slice(2)}`);
  const res = await postSigned(url, interactivity(buttonClick({ action_id: actionId, value }, user, responseUrl)));
  expect(res.status).toBe(200);
  await http.idle();
  const method = responseUrl.slice(fake.url.length - 'api/'.length);
  const replies = fake.callsTo(method);
  return replies.map((r) => String(r.args.text));
}

const dmsTo = (user: string, method = 'chat.postMessage'): RecordedCall[] =>
  fake.callsTo(method).filter((c) => c.args.channel === user);

let app: RunningSlackApp;
beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN });
  ({ fake, db, http, url } = app);
  fake.setUsergroup('S0HRTEAM1', ['U0HRMEM01', 'U0HRMEM02']);
  const { io, err } = cli();
  expect(await kept(['import', EXAMPLE], io)).toBe(0);
  expect(err).toEqual([]);
});
afterAll(() => app.stop());

describe('agreements as code, read in Slack', () => {
  it('shows the imported agreements of a department with targets, penalty and version', async () => {
    const body = await sla('agreements it', FIN_MEMBER);
    const shown = blockText(body);
    expect(shown).toContain('Laptops and accounts');
    expect(shown).toContain('Printers and meeting rooms');
    expect(shown).toMatch(/P1\s+30m\s+4h/);
    expect(shown).toMatch(/P2\s+2h\s+16h/);
    expect(shown).toContain('50 points per breach');
    expect(shown).toContain('version 1');
  });

  it("without a department, shows the asker's own; for someone in none, says how to ask", async () => {
    expect(blockText(await sla('agreements', FIN_MEMBER))).toContain('Laptops and accounts');
    // People Operations members come from its Slack user group, read at import.
    expect(blockText(await sla('agreements', 'U0HRMEM02'))).toContain('Payroll corrections');
    const stranger = await sla('agreements', 'U0NOBODY1');
    expect(stranger?.text).toMatch(/^You are not in any department yet/);
    expect(stranger?.text).toContain('`it` (IT)');
  });

  it('names the departments when asked for one that does not exist', async () => {
    const body = await sla('agreements <!channel>', FIN_MEMBER);
    expect(body?.text).toMatch(/^There is no department `&lt;!channel&gt;`\. Departments: /);
  });
});

describe('propose -> accept', () => {
  it('accepts proposals on it-for-finance in turn: version 2 from IT, 3 from Finance, 4 with two clicks at once', async () => {
    await step(
      "activates version 2 when Finance's head accepts IT's proposal, and version 1 stays as it was",
      async () => {
        const view = await openProposeModal(IT_HEAD, 'it-for-finance');
        expect(JSON.stringify(view)).toContain('now version 1');
        const before = await getAgreementVersion(db, 'it-for-finance', 1);

        fake.reset();
        expect(await submit(view, { 'targets.P1.resolution': '3h' }, IT_HEAD)).toEqual({});
        await http.idle();
        const [dm] = dmsTo(FIN_HEAD);
        expect(JSON.stringify(dm!.args.blocks)).toContain('P1 solve: 4h → 3h');
        expect(dmsTo(IT_HEAD)).toHaveLength(1); // "sent to Finance's heads"
        expect(dmsTo(IT_MEMBER)).toHaveLength(0);
        const value = JSON.stringify({ id: 'it-for-finance', version: 2 });

        // The proposing side cannot accept its own proposal; a Finance member is not a head.
        expect(await click(IDS.acceptProposal, value, IT_HEAD)).toEqual([
          expect.stringMatching(/^You proposed this version/),
        ]);
        expect(await click(IDS.acceptProposal, value, FIN_MEMBER)).toEqual([
          'Only a head of Finance can accept or decline this proposal.',
        ]);
        expect((await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.active?.version).toBe(1);

        fake.reset();
        expect(await click(IDS.acceptProposal, value, FIN_HEAD)).toEqual([
          expect.stringMatching(/^Accepted: version 2 of `it-for-finance` is active from now/),
        ]);
        const record = (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')!;
        expect(record.active?.version).toBe(2);
        expect(record.active?.targets.P1).toEqual({ response: 30 * 60_000, resolution: 3 * 3_600_000 });
        expect(record.pending).toBeUndefined();

        // A request filed under version 1 reads its terms from version 1, untouched.
        const v1 = await getAgreementVersion(db, 'it-for-finance', 1);
        expect(v1?.status).toBe('retired');
        expect(v1?.targets).toEqual(before?.targets);
        expect(v1?.targets.P1?.resolution).toBe(4 * 3_600_000);

        // The DM loses its buttons; both sides hear about it.
        const [update] = fake.callsTo('chat.update');
        expect(dm!.args.channel).toBe(FIN_HEAD);
        expect(update!.args.channel).toBe(`D${FIN_HEAD.slice(1)}`); // the DM channel Slack named when it was posted
        expect(JSON.stringify(update!.args.blocks)).not.toContain(IDS.acceptProposal);
        // To the head who accepted: "You accepted it", with no mention of themselves and no DM
        // about their own click (the click's answer told them already).
        expect(JSON.stringify(update!.args.blocks)).toContain('You accepted it on');
        expect(JSON.stringify(update!.args.blocks)).not.toContain(`<@${FIN_HEAD}>`);
        expect(dmsTo(IT_HEAD).map((c) => String(c.args.text))).toEqual([
          expect.stringContaining('version 2 is active from now'),
        ]);
        expect(dmsTo(FIN_HEAD)).toEqual([]);

        // A second click (double click, or another head) changes nothing and says what happened.
        expect(await click(IDS.acceptProposal, value, FIN_HEAD)).toEqual([
          `Version 2 of \`it-for-finance\` was already accepted by <@${FIN_HEAD}> on ${new Date().toISOString().slice(0, 10)}.`,
        ]);
        expect(blockText(await sla('agreements finance', FIN_HEAD))).toMatch(/P1\s+30m\s+3h/);
      },
    );

    await step('lets a head of the customer side propose too, and only a provider head accept', async () => {
      const view = await openProposeModal(FIN_HEAD, 'it-for-finance');
      fake.reset();
      expect(await submit(view, { 'penalty.per_breach': '60' }, FIN_HEAD)).toEqual({});
      await http.idle();
      expect(dmsTo(IT_HEAD)).toHaveLength(1);
      const value = JSON.stringify({ id: 'it-for-finance', version: 3 });
      expect(await click(IDS.acceptProposal, value, FIN_HEAD)).toEqual([
        expect.stringMatching(/^You proposed this version/),
      ]);
      expect(await click(IDS.acceptProposal, value, IT_HEAD)).toEqual([expect.stringMatching(/^Accepted: version 3/)]);
    });

    await step('makes exactly one transition when Accept is pressed twice at the same moment', async () => {
      const view = await openProposeModal(IT_HEAD, 'it-for-finance');
      expect(await submit(view, { 'penalty.monthly_cap': '800' }, IT_HEAD)).toEqual({});
      await http.idle();
      fake.reset();
      const value = JSON.stringify({ id: 'it-for-finance', version: 4 });
      const replies = (
        await Promise.all([click(IDS.acceptProposal, value, FIN_HEAD), click(IDS.acceptProposal, value, FIN_HEAD)])
      )
        .flat()
        .sort();
      expect(replies).toEqual([
        expect.stringMatching(/^Accepted: version 4/),
        expect.stringMatching(/^Version 4 of `it-for-finance` was already accepted/),
      ]);
      expect(fake.callsTo('chat.update')).toHaveLength(1);
      expect(
        (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-finance')?.active?.penalty.monthlyCap,
      ).toBe(800);
      expect((await getAgreementVersion(db, 'it-for-finance', 3))?.status).toBe('retired');
    });
  });

  it('refuses to open the form for someone who heads no department, naming the role', async () => {
    fake.reset();
    expect(await sla('propose', IT_MEMBER)).toBeUndefined();
    await http.idle();
    // The form opens at once, and says why there is nothing to fill in.
    expect(fake.lastModal()).toMatchObject({
      blocks: [
        {
          text: {
            text: 'Only department heads can propose agreements, and you are not a head of any department in Kept. Ask a Kept admin if that is wrong.',
          },
        },
      ],
    });
    expect(fake.lastModal().submit).toBeUndefined();
  });
});

describe('the propose modal refuses bad terms on the right block and writes nothing', () => {
  let view: Record<string, unknown>;
  beforeAll(async () => {
    view = await openProposeModal(IT_HEAD);
  });
  const good = {
    provider: 'it',
    customer: 'support',
    service: 'VPN access',
    'targets.P1.response': '30m',
    'targets.P1.resolution': '4h',
    'penalty.per_breach': '20',
  };

  it.each([
    ['an unknown department', { provider: 'nope' }, 'provider', /no department "nope"/],
    [
      'reversed targets',
      { 'targets.P1.response': '5h', 'targets.P1.resolution': '4h' },
      'targets.P1.resolution',
      /less than the response target 5h/,
    ],
    ['a negative penalty', { 'penalty.per_breach': '-5' }, 'penalty.per_breach', /-5 is negative/],
    ['a cap below per_breach', { 'penalty.monthly_cap': '10' }, 'penalty.monthly_cap', /10 is below per_breach \(20\)/],
    [
      'a duration that is not one',
      { 'targets.P1.response': '30 mins' },
      'targets.P1.response',
      /is not a duration; use forms like 30m, 4h, 1h30m/,
    ],
    ['the same department on both sides', { customer: 'it' }, 'customer', /between two departments/],
    [
      'a service another agreement already covers',
      { service: 'printers and  Meeting rooms' },
      'service',
      /IT already promises every department "Printers and meeting rooms" \(agreement it-for-everyone\)/,
    ],
    [
      'a provider the proposer does not head',
      { provider: 'finance', customer: 'support' },
      'provider',
      /Only a head of Finance or Customer Support can propose/,
    ],
  ])('%s', async (_what, typed, block, message) => {
    const items = (await allItems(db)).length;
    fake.reset();
    const answer = await submit(view, { ...good, ...typed }, IT_HEAD);
    expect(answer.response_action).toBe('errors');
    expect(answer.errors?.[block]).toMatch(message);
    await http.idle();
    expect((await allItems(db)).length).toBe(items);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('a department whose only head is the proposer: nobody could accept it, so it is refused on the customer block', async () => {
    expect(
      (await sla(`dept create legal "Legal" <#C0LEGALQ|legal> America/New_York <@${IT_HEAD}>`, ADMIN))?.text,
    ).toMatch(/^Created \*Legal\*/);
    const fresh = await openProposeModal(IT_HEAD);
    const items = (await allItems(db)).length;
    const answer = await submit(fresh, { ...good, customer: 'legal', service: 'Contract laptops' }, IT_HEAD);
    expect(answer).toEqual({
      response_action: 'errors',
      errors: {
        customer:
          'Nobody could accept this: Legal has no head besides you. Ask a Kept admin to add one with `/sla dept heads legal add @someone`.',
      },
    });
    expect((await allItems(db)).length).toBe(items);
  });

  it('keeps one proposal when Slack delivers the same submission twice', async () => {
    fake.reset();
    const viewId = 'V0DUPLICATE1';
    expect(await submit(view, good, IT_HEAD, viewId)).toEqual({});
    expect(
      await submit(view, good, IT_HEAD, viewId, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
    ).toEqual({});
    await http.idle();
    const records = (await readDirectory(db)).agreements.filter((a) => a.pending?.service === 'VPN access');
    expect(records).toHaveLength(1);
    expect(records[0]!.latestVersion).toBe(1);
    expect(dmsTo('U0SUPHEAD')).toHaveLength(1);
  });
});

describe('decline', () => {
  it('asks why, tells the proposer the reason, and leaves the active version in force', async () => {
    const view = await openProposeModal(IT_HEAD, 'it-for-everyone');
    fake.reset();
    expect(await submit(view, { 'penalty.per_breach': '5' }, IT_HEAD)).toEqual({});
    await http.idle();
    // `*` means every department: Kept admins answer for it.
    expect(dmsTo(ADMIN)).toHaveLength(1);
    const value = JSON.stringify({ id: 'it-for-everyone', version: 2 });

    fake.reset();
    // The form opens at once (Slack's trigger is fresh) and says why there is nothing to decline here.
    expect(await click(IDS.declineProposal, value, FIN_HEAD)).toEqual([]);
    expect(fake.lastModal()).toMatchObject({
      title: { text: 'Decline proposal' },
      blocks: [
        { text: { text: 'Only a Kept admin (it covers every department) can accept or decline this proposal.' } },
      ],
    });
    expect(fake.lastModal().submit).toBeUndefined();
    expect(await click(IDS.declineProposal, value, ADMIN)).toEqual([]);
    const modal = fake.lastModal();
    expect(await submit(modal, { [IDS.declineReasonBlock]: '   ' }, ADMIN)).toEqual({
      response_action: 'errors',
      errors: { [IDS.declineReasonBlock]: expect.stringMatching(/^Say why/) },
    });

    fake.reset();
    expect(await submit(modal, { [IDS.declineReasonBlock]: 'Five points is too little <!channel>' }, ADMIN)).toEqual(
      {},
    );
    await http.idle();
    // One DM to the proposer: who declined which version, the reason first, then what stays in force.
    const toProposer = dmsTo(IT_HEAD);
    expect(toProposer).toHaveLength(1);
    const dm = toProposer[0]!.args as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(dm.text).toMatch(
      new RegExp(`^<@${ADMIN}> declined version 2 of .*: “Five points is too little &lt;!channel&gt;”$`),
    );
    expect(dm.blocks[0]!.text!.text).toMatch(
      new RegExp(
        `^:x: <@${ADMIN}> declined your proposal for \\*version 2\\* of .*Their reason:\n> Five points is too little &lt;!channel&gt;$`,
      ),
    );
    const told = JSON.stringify(dm.blocks);
    expect(told).toContain('Version 1 stays in force');
    expect(told).toContain('Penalty: 10 points per breach → 5 points per breach');
    expect(told).not.toContain('This is a new agreement');
    expect(told).not.toContain('<!channel>');
    // The admins' proposal DM loses its buttons and says who declined it and why ("You" to them).
    const updated = JSON.stringify(fake.callsTo('chat.update').map((c) => c.args.blocks));
    expect(updated).toContain('You declined it on');
    expect(updated).toContain('Five points is too little &lt;!channel&gt;');
    const record = (await readDirectory(db)).agreements.find((a) => a.id === 'it-for-everyone')!;
    expect(record.active?.version).toBe(1);
    expect(record.pending).toBeUndefined();
    expect((await getAgreementVersion(db, 'it-for-everyone', 2))?.status).toBe('declined');
  });
});
