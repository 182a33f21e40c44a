/**
 * Requests end to end, the way Slack drives Kept: agreements imported as code, then signed slash
 * commands, modal submissions and button clicks against the real app; the card, its thread and
 * the DMs are read from what Kept sent to the fake Slack.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from '../../bin/cli/io';
import { kept } from '../../bin/cli/main';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequest, getRequestRecord } from '../../functions/store/requests';
import { allItems, testEndpoint } from '../support/db';
import { conversationOf, type FakeSlack, type PostedMessage, type RecordedCall } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import {
  appHomeOpened,
  buttonClick,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  messageShortcut,
  postSigned,
  slashCommand,
  stateOf,
  submitView,
} from '../support/slack-requests';
import { step } from '../support/step';
import { testClock } from '../support/test-clock';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'company.yaml');
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBER_2 = 'U0ITMEM02';
const FIN_MEMBER = 'U0FINMEM1';
const FIN_HEAD = 'U0FINHEAD';
const STRANGER = 'U0NOBODY1';
const SUP_MEMBER = 'U0SUPMEM1';
const ADMIN = 'U0ADMIN01';
const IT_CHANNEL = 'C0ITQUEUE';

let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;
let app: RunningSlackApp;
/** The app's clock: a Tuesday inside IT's working hours; each filing is a minute after the last. */
const clock = testClock();

function cli(): { io: CliIO; err: string[] } {
  const err: string[] = [];
  const env = {
    SLACK_SIGNING_SECRET: 'abcdef0123456789',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_API_URL: fake.url,
    DYNAMODB_ENDPOINT: testEndpoint(),
    KEPT_TABLE: db.table,
  };
  return { io: { out: () => {}, err: (l) => err.push(l), readFile: (p) => readFile(p, 'utf8'), env }, err };
}

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  ({ fake, db, http, url } = app);
  fake.setUsergroup('S0HRTEAM1', ['U0HRMEM01']);
  const { io, err } = cli();
  expect(await kept(['import', EXAMPLE], io)).toBe(0);
  expect(err).toEqual([]);
});
afterAll(() => app.stop());

// ---------------------------------------------------------------------------------------------
// Driving Kept as Slack does

async function sla(text: string, user: string) {
  const res = await postSigned(url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await http.idle();
  return res.text ? (res.json() as { text: string; blocks?: unknown[] }) : undefined;
}

const shown = (body: { text?: string; blocks?: unknown[] } | undefined) =>
  `${body?.text ?? ''}\n${JSON.stringify(body?.blocks ?? [])}`;

/** What the last modal Kept opened says when it shows a note instead of a form. */
const modalSays = () => (fake.lastModal().blocks as Array<{ text?: { text?: string } }>)[0]?.text?.text ?? '';

/** `/sla new [dept]` -> the modal Kept opened. */
async function openNew(user: string, arg = ''): Promise<Record<string, unknown>> {
  const before = fake.callsTo('views.open').length;
  const body = await sla(`new ${arg}`.trim(), user);
  expect(body).toBeUndefined(); // the modal is the answer
  expect(fake.callsTo('views.open').length).toBe(before + 1);
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
  await http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

/** Files a request through the modal and returns its ID (read back from the table). */
async function file(user: string, typed: Record<string, string | null>, arg = ''): Promise<string> {
  clock.advance(60_000); // the latest request is the one filed last
  const view = await openNew(user, arg);
  const answer = await submit(view, typed, user);
  expect(answer).toEqual({});
  const latest = (await allItems(db))
    .filter((i) => i.sk === 'REQ')
    .sort((a, b) => Number(b.createdAt) - Number(a.createdAt))[0];
  return String(latest!.id);
}

let clickNo = 0;
/** A click on a message button; returns the ephemeral replies it got. */
async function click(
  actionId: string,
  value: string,
  user: string,
  options: { actionTs?: string; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
) {
  const responseUrl = fake.responseUrl(`click-${++clickNo}`);
  const payload = buttonClick(
    { action_id: actionId, value, ...options.extra },
    user,
    responseUrl,
    IT_CHANNEL,
    options.actionTs ? { actionTs: options.actionTs } : {},
  );
  const res = await postSigned(url, interactivity(payload), { headers: options.headers ?? {} });
  expect(res.status).toBe(200);
  await http.idle();
  return fake.callsTo(`response/click-${clickNo}`).map((r) => String(r.args.text));
}

/** Kept's latest top-level DM to `user` that holds `marker`, as it reads now (updates applied). */
const dmWith = (user: string, marker: string): PostedMessage => {
  const found = fake.posted
    .filter((m) => m.channel === user && !m.threadTs && JSON.stringify(m.blocks ?? []).includes(marker))
    .at(-1);
  expect(found).toBeDefined();
  return found!;
};
/** A message as it reads now, by its ts. */
const nowReads = (ts: string) => JSON.stringify(fake.posted.find((m) => m.ts === ts)?.blocks ?? []);

/** A click on a button of a message Kept posted (a DM: Slack names its `D…` conversation); returns the ephemerals. */
async function clickOn(message: PostedMessage, actionId: string, value: string, user: string, actionTs?: string) {
  const responseUrl = fake.responseUrl(`click-${++clickNo}`);
  const payload = buttonClick({ action_id: actionId, value }, user, responseUrl, conversationOf(message.channel), {
    message: { ts: message.ts, blocks: (message.blocks ?? []) as unknown[] },
    ...(actionTs ? { actionTs } : {}),
  });
  const res = await postSigned(url, interactivity(payload));
  expect(res.status).toBe(200);
  await http.idle();
  return fake.callsTo(`response/click-${clickNo}`).map((r) => String(r.args.text));
}

const posts = (): RecordedCall[] => fake.callsTo('chat.postMessage');
const cardsIn = (channel: string) =>
  posts().filter((c) => c.args.channel === channel && c.args.thread_ts === undefined && c.outcome === 'ok');
const cardOf = (id: string) => cardsIn(IT_CHANNEL).filter((c) => JSON.stringify(c.args.blocks).includes(`"${id}"`));
const dmsTo = (user: string) => posts().filter((c) => c.args.channel === user);
const threadOf = (ts: string) =>
  posts()
    .filter((c) => String(c.args.thread_ts) === ts)
    .map((c) => String(c.args.text));
async function cardTs(id: string): Promise<string> {
  const record = await getRequestRecord(db, id);
  expect(record?.card).toBeDefined();
  return record!.card!.ts;
}
/** The card as its last update left it. */
async function currentCard(id: string): Promise<string> {
  const ts = await cardTs(id);
  const updates = fake.callsTo('chat.update').filter((u) => String(u.args.ts) === ts);
  expect(updates.length).toBeGreaterThan(0);
  return JSON.stringify(updates.at(-1)!.args.blocks);
}

// ---------------------------------------------------------------------------------------------

describe('filing a request', () => {
  it('tells someone in no department how to get added, and writes nothing', async () => {
    const before = (await allItems(db)).length;
    // The form opens at once and says, instead of the fields, how to get added.
    expect(await sla('new', STRANGER)).toBeUndefined();
    expect(modalSays()).toMatch(/^You are not in any department in Kept yet/);
    expect(modalSays()).toContain(`<@${ADMIN}>`);
    expect(fake.lastModal().submit).toBeUndefined();
    expect((await allItems(db)).length).toBe(before);
  });

  it("offers only services of agreements covering the requester, with each priority's targets", async () => {
    const view = JSON.stringify(await openNew(FIN_MEMBER));
    expect(view).toContain('Laptops and accounts');
    expect(view).toContain('Printers and meeting rooms');
    expect(view).not.toContain('Payroll corrections'); // Finance provides it; it does not cover Finance
    expect(view).toMatch(/P2 — answer in 2h, solve in 16h working time/);
  });

  it('groups the services by provider when more than one department serves the requester', async () => {
    type Select = {
      options?: Array<{ value: string }>;
      option_groups?: Array<{ label: { text: string }; options: Array<{ text: { text: string }; value: string }> }>;
    };
    const serviceOf = (view: Record<string, unknown>) =>
      (view.blocks as Array<{ block_id?: string; element?: Select }>).find(
        (b) => b.block_id === IDS.requestServiceBlock,
      )!.element!;
    const groupsOf = (select: Select) =>
      select.option_groups?.map((g) => [g.label.text, g.options.map((o) => o.text.text)]);
    // Support is served by IT (every department) and People Operations.
    const view = await openNew(SUP_MEMBER);
    const select = serviceOf(view);
    expect(select.options).toBeUndefined();
    expect(groupsOf(select)).toEqual([
      ['IT', ['Printers and meeting rooms']],
      ['People Operations', ['Shift cover and onboarding']],
    ]);

    // Picking the other group's service redraws the priorities and keeps the groups.
    const before = fake.callsTo('views.update').length;
    const pick = buttonClick(
      { action_id: IDS.requestServiceSelect, selected_option: { value: 'people-ops-for-support' } },
      SUP_MEMBER,
      fake.responseUrl('pick-service'),
      'D0SUPMEM1',
      { view: { ...view, id: 'V0GROUPED01', state: { values: stateOf(view as { blocks: unknown[] }) } } },
    );
    expect((await postSigned(url, interactivity(pick))).status).toBe(200);
    await http.idle();
    const redrawn = fake.callsTo('views.update').slice(before);
    expect(redrawn).toHaveLength(1);
    const next = redrawn[0]!.args.view as Record<string, unknown>;
    expect(groupsOf(serviceOf(next))).toEqual(groupsOf(select));
    expect((serviceOf(next) as { initial_option?: { value: string } }).initial_option?.value).toBe(
      'people-ops-for-support',
    );
    expect(JSON.stringify(next)).toContain('P4 — answer in 1h, solve in 40h working time');

    // The submission reads the grouped pick as it reads a flat one.
    const answer = await submit(
      next,
      { [IDS.requestServiceBlock]: 'people-ops-for-support', priority: 'P4', title: 'Cover for Friday' },
      SUP_MEMBER,
    );
    expect(answer).toEqual({});
    const filed = (await allItems(db)).filter((i) => i.sk === 'REQ' && i.title === 'Cover for Friday');
    expect(filed).toEqual([expect.objectContaining({ provider: 'people-ops', customer: 'support' })]);

    // One provider (Finance is served by IT alone, or `/sla new it`): a flat list, as before.
    expect(serviceOf(await openNew(FIN_MEMBER)).option_groups).toBeUndefined();
    const narrowed = serviceOf(await openNew(SUP_MEMBER, 'it'));
    expect(narrowed.option_groups).toBeUndefined();
    expect(narrowed.options?.map((o) => o.value)).toEqual(['it-for-everyone']);
  });

  it('/sla new it narrows to IT; an unknown department is named', async () => {
    const view = JSON.stringify(await openNew(FIN_MEMBER, 'it'));
    expect(view).toContain('Laptops and accounts');
    expect(await sla('new <!channel>', FIN_MEMBER)).toBeUndefined();
    expect(modalSays()).toMatch(/^There is no department `&lt;!channel&gt;`/);
  });

  it('refuses an oversized title on its block and writes nothing', async () => {
    const view = await openNew(FIN_MEMBER);
    const before = (await allItems(db)).length;
    const answer = await submit(view, { priority: 'P2', title: 'x'.repeat(151), description: 'short' }, FIN_MEMBER);
    expect(answer.response_action).toBe('errors');
    expect(answer.errors?.[IDS.requestTitleBlock]).toMatch(/151 characters; keep it to 150/);
    expect((await allItems(db)).length).toBe(before);
  });

  it('refuses a missing priority and an oversized description, each on its block', async () => {
    const view = await openNew(FIN_MEMBER);
    const answer = await submit(view, { priority: null, title: 'ok', description: 'd'.repeat(3001) }, FIN_MEMBER);
    expect(answer.errors?.[IDS.requestPriorityBlock]).toBe('Pick a priority.');
    expect(answer.errors?.[IDS.requestDescriptionBlock]).toMatch(/3001 characters; keep it to 3000/);
  });
});

describe('the whole life of a request', () => {
  it('files, acknowledges, waits, resumes, resolves, is rated, closes; another reopens', async () => {
    let id: string;
    let ts: string;
    await step(
      "files: IT-n with the agreement version pinned, a card in IT's channel, a confirmation DM with local due times and a link",
      async () => {
        fake.reset();
        id = await file(FIN_MEMBER, {
          priority: 'P2',
          title: 'Laptop will not boot',
          description: 'Black screen since this morning',
        });
        expect(id).toMatch(/^IT-\d+$/);
        const request = (await getRequest(db, id))!;
        expect(request).toMatchObject({
          status: 'open',
          provider: 'it',
          customer: 'finance',
          agreementId: 'it-for-finance',
          agreementVersion: 1,
          priority: 'P2',
          requester: FIN_MEMBER,
        });
        expect(request.clocks.response.state).toBe('running');
        expect(request.clocks.resolution.target).toBe(16 * 3_600_000);
        ts = await cardTs(id);
        expect(cardOf(id)).toHaveLength(1);
        expect(JSON.stringify(cardOf(id)[0]!.args.blocks)).toContain('Laptop will not boot');
        const [dm] = dmsTo(FIN_MEMBER);
        const dmText = `${String(dm!.args.text)}${JSON.stringify(dm!.args.blocks)}`;
        expect(dmText).toContain(id);
        expect(dmText).toMatch(/E[SD]T/); // the fake says the requester is in New York
        expect(dmText).toContain(`https://kept-test.slack.com/archives/${IT_CHANNEL}/p${ts.replace('.', '')}`);
      },
    );

    await step(
      'acknowledge: the response target is met, the card updates, the thread and the requester are told',
      async () => {
        fake.reset();
        expect(await click(IDS.requestAction.acknowledge, id, IT_MEMBER)).toEqual([]);
        const request = (await getRequest(db, id))!;
        expect(request.status).toBe('acknowledged');
        expect(request.assignee).toBe(IT_MEMBER);
        expect(request.clocks.response.state).toBe('met');
        expect(fake.callsTo('chat.update').filter((u) => String(u.args.ts) === ts).length).toBeGreaterThanOrEqual(1);
        expect(await currentCard(id)).toContain('Acknowledged');
        expect(threadOf(ts).join('\n')).toMatch(/acknowledged/i);
        expect(dmsTo(FIN_MEMBER)).toHaveLength(1);
      },
    );

    await step('waiting on requester asks for the question first, then pauses and sends it', async () => {
      fake.reset();
      await click(IDS.requestAction.pause, id, IT_MEMBER);
      const form = fake.lastModal();
      expect(JSON.stringify(form)).toContain('What do you need from <@U0FINMEM1>');
      expect((await getRequest(db, id))!.status).toBe('acknowledged'); // nothing until the question is sent
      expect(await submit(form, { [IDS.pauseQuestionBlock]: '  ' }, IT_MEMBER)).toEqual({
        response_action: 'errors',
        errors: { [IDS.pauseQuestionBlock]: 'Ask what you need: the requester reads it and answers in Slack.' },
      });
      expect(
        await submit(form, { [IDS.pauseQuestionBlock]: 'Which laptop is it? The serial number, please.' }, IT_MEMBER),
      ).toEqual({});
      const request = (await getRequest(db, id))!;
      expect(request.status).toBe('waiting_on_requester');
      expect(request.clocks.resolution.state).toBe('paused');
      expect(dmsTo(FIN_MEMBER)).toHaveLength(1);
      expect(JSON.stringify(dmsTo(FIN_MEMBER)[0]!.args.blocks)).toContain(
        'Which laptop is it? The serial number, please.',
      );
    });

    await step('the requester answers with /sla resume: the clock runs again with the time already used', async () => {
      const body = await sla(`resume ${id.toLowerCase()} the serial number is 4711`, FIN_MEMBER);
      expect(body?.text).toContain('back in progress');
      const request = (await getRequest(db, id))!;
      expect(request.status).toBe('acknowledged');
      expect(request.clocks.resolution.state).toBe('running');
      expect(request.clocks.resolution.events.map((e) => e.type)).toEqual(['start', 'pause', 'resume']);
    });

    await step('resolve asks for a note, then resolves; the requester gets the note and a rating prompt', async () => {
      fake.reset();
      await click(IDS.requestAction.resolve, id, IT_MEMBER);
      const modal = fake.lastModal();
      expect(modal.callback_id).toBe(IDS.resolveModal);
      expect(await submit(modal, { [IDS.resolveNoteBlock]: '' }, IT_MEMBER)).toMatchObject({
        response_action: 'errors',
      });
      expect(await submit(modal, { [IDS.resolveNoteBlock]: 'Replaced the power supply' }, IT_MEMBER)).toEqual({});
      const request = (await getRequest(db, id))!;
      expect(request).toMatchObject({ status: 'resolved', resolutionNote: 'Replaced the power supply' });
      expect(request.clocks.resolution.state).toBe('met');
      const dm = JSON.stringify(dmsTo(FIN_MEMBER).at(-1)!.args.blocks);
      expect(dm).toContain('Replaced the power supply');
      expect(dm).toContain(`${IDS.requestAction.rate}_4`);
    });

    await step('rate: one click stores the score; the comment after it is stored with it', async () => {
      const dm = dmWith(FIN_MEMBER, `${IDS.requestAction.rate}_4`);
      const opened = fake.callsTo('views.open').length;
      expect(await clickOn(dm, `${IDS.requestAction.rate}_4`, JSON.stringify({ id, score: 4 }), FIN_MEMBER)).toEqual(
        [],
      );
      expect(fake.callsTo('views.open')).toHaveLength(opened); // no form to fill in first
      expect((await getRequest(db, id))!.rating).toMatchObject({ score: 4, by: FIN_MEMBER });
      await clickOn(dm, IDS.requestAction.comment, id, FIN_MEMBER);
      const modal = fake.lastModal();
      expect(modal.callback_id).toBe(IDS.rateModal);
      expect(await submit(modal, { [IDS.rateBetterBlock]: 'A loan laptop while waiting' }, FIN_MEMBER)).toEqual({});
      expect((await getRequest(db, id))!.rating).toMatchObject({
        score: 4,
        better: 'A loan laptop while waiting',
        by: FIN_MEMBER,
      });
    });

    await step('close: the requester confirms; the thread holds the whole history in order', async () => {
      await click(IDS.requestAction.close, id, FIN_MEMBER);
      expect((await getRequest(db, id))!.status).toBe('closed');
      const record = (await getRequestRecord(db, id))!;
      expect(record.events.map((e) => e.type)).toEqual([
        'filed',
        'acknowledge',
        'pause',
        'resume',
        'resolve',
        'rate',
        'rate',
        'close',
      ]);
      expect(record.events.every((e) => e.announcedAt)).toBe(true);
      expect(await currentCard(id)).toContain('Closed');
      expect(await currentCard(id)).not.toContain(IDS.requestAction.acknowledge);
    });

    await step(
      'reopen within 7 days runs the resolution clock again with the time used; show and list read it',
      async () => {
        const other = await file(FIN_MEMBER, { priority: 'P1', title: 'No VPN', description: '' });
        expect((await sla(`resolve ${other} restarted the gateway`, IT_HEAD))?.text).toContain(`Resolved ${other}`);
        const used = (await getRequest(db, other))!.clocks.resolution.usedBefore;
        expect((await sla(`reopen ${other} still drops every hour`, FIN_MEMBER))?.text).toContain(`Reopened ${other}`);
        const request = (await getRequest(db, other))!;
        expect(request.status).toBe('reopened');
        expect(request.clocks.resolution).toMatchObject({ state: 'running', usedBefore: used });
        expect(shown(await sla(`show ${other}`, FIN_MEMBER))).toContain('No VPN');
        // Someone on neither side is told what an unknown ID gets (issue #19).
        expect(shown(await sla(`show ${other}`, STRANGER))).not.toContain('No VPN');
        expect(shown(await sla('list mine', FIN_MEMBER))).toContain(other);
        expect(shown(await sla('list queue', IT_MEMBER))).toContain(other);
      },
    );
  });
});

describe('refused actions say why in one line and change nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = await file(FIN_MEMBER, { priority: 'P2', title: 'Refusals', description: '' });
  });

  const cases: [string, () => Promise<string[] | string | undefined>, RegExp][] = [
    [
      'the requester acknowledging',
      () => click(IDS.requestAction.acknowledge, id, FIN_MEMBER),
      /^Only people in IT can acknowledge IT-\d+\.$/,
    ],
    [
      'a stranger resolving by command',
      async () => (await sla(`resolve ${id} done`, STRANGER))?.text,
      /^There is no request IT-\d+ that you can see\./,
    ],
    [
      'IT cancelling',
      async () => (await sla(`cancel ${id}`, IT_MEMBER))?.text,
      /^Only the person who filed IT-\d+ can cancel it\.$/,
    ],
    [
      'another Finance person closing',
      async () => (await sla(`close ${id}`, FIN_HEAD))?.text,
      /^Only the person who filed IT-\d+ can close it\.$/,
    ],
    [
      'reopening what is not resolved',
      async () => (await sla(`reopen ${id}`, FIN_MEMBER))?.text,
      /not resolved, so there is nothing to reopen/,
    ],
    [
      'resuming what is not waiting',
      () => click(IDS.requestAction.resume, id, IT_MEMBER),
      /is not waiting on the requester/,
    ],
    [
      'a request that does not exist',
      async () => (await sla('ack IT-99999', IT_MEMBER))?.text,
      /^There is no request IT-99999 that you can see\./,
    ],
    ['no ID at all', async () => (await sla('ack', IT_MEMBER))?.text, /^Which request\?/],
    ['resolve without a note', async () => (await sla(`resolve ${id}`, IT_MEMBER))?.text, /how it was solved/],
  ];

  it.each(cases)('%s', async (_name, run, expected) => {
    const before = (await getRequest(db, id))!.rev;
    const answer = await run();
    const text = Array.isArray(answer) ? answer.join('\n') : (answer ?? '');
    expect(text).toMatch(expected);
    expect(text).not.toContain('\n');
    expect((await getRequest(db, id))!.rev).toBe(before);
  });

  it('acknowledging twice: the second is told it is already acknowledged', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Acknowledged twice', description: '' });
    expect(await click(IDS.requestAction.acknowledge, id, IT_MEMBER)).toEqual([]);
    expect((await click(IDS.requestAction.acknowledge, id, IT_MEMBER_2)).join()).toMatch(/already acknowledged/);
  });

  it('assigning someone outside IT is refused; assigning a member works', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Assigned', description: '' });
    expect(
      (
        await click(IDS.requestAction.assign, id, IT_HEAD, {
          extra: { selected_user: FIN_HEAD, block_id: `request_actions:${id}` },
        })
      ).join(),
    ).toMatch(/is not in IT/);
    expect(
      await click(IDS.requestAction.assign, id, IT_HEAD, {
        extra: { selected_user: IT_MEMBER_2, block_id: `request_actions:${id}` },
      }),
    ).toEqual([]);
    expect((await getRequest(db, id))!.assignee).toBe(IT_MEMBER_2);
  });
});

describe('real Slack conditions', () => {
  it('a re-delivered submission (same view, retry headers) files one request and one card', async () => {
    fake.reset();
    const view = await openNew(FIN_MEMBER);
    const before = (await allItems(db)).filter((i) => i.sk === 'REQ').length;
    const typed = { priority: 'P2', title: 'Twice sent', description: '' };
    await submit(view, typed, FIN_MEMBER, 'VDUPLICATE1');
    await submit(view, typed, FIN_MEMBER, 'VDUPLICATE1', {
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    expect((await allItems(db)).filter((i) => i.sk === 'REQ').length).toBe(before + 1);
    expect(cardsIn(IT_CHANNEL).filter((c) => JSON.stringify(c.args.blocks).includes('Twice sent'))).toHaveLength(1);
  });

  it('a re-delivered click (same action_ts, retry headers) has its effect once', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Click twice', description: '' });
    const ts = await cardTs(id);
    fake.reset();
    await click(IDS.requestAction.acknowledge, id, IT_MEMBER, { actionTs: '1780000100.000001' });
    const again = await click(IDS.requestAction.acknowledge, id, IT_MEMBER, {
      actionTs: '1780000100.000001',
      headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' },
    });
    expect(again).toEqual([]); // a re-delivery is silent
    const record = (await getRequestRecord(db, id))!;
    expect(record.events.filter((e) => e.type === 'acknowledge')).toHaveLength(1);
    expect(threadOf(ts)).toHaveLength(1);
  });

  it('two people resolving at once: one transition; the other sees it is already resolved', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Race', description: '' });
    fake.reset();
    await Promise.all([click(IDS.requestAction.resolve, id, IT_MEMBER), click(IDS.requestAction.resolve, id, IT_HEAD)]);
    const [a, b] = fake.modals();
    const answers = await Promise.all([
      submit(a!, { [IDS.resolveNoteBlock]: 'Fixed by A' }, IT_MEMBER),
      submit(b!, { [IDS.resolveNoteBlock]: 'Fixed by B' }, IT_HEAD),
    ]);
    const refused = answers.filter((x) => x.response_action === 'errors');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.errors?.[IDS.resolveNoteBlock]).toMatch(/already resolved/);
    const record = (await getRequestRecord(db, id))!;
    expect(record.events.filter((e) => e.type === 'resolve')).toHaveLength(1);
  });

  it('a Slack 429 on chat.postMessage: the request exists at once and the card is posted later, once', async () => {
    fake.reset();
    fake.rateLimit('chat.postMessage', 0, 3); // more than the client's own retries: the job fails and is tried again
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Rate limited', description: '' });
    expect(await getRequest(db, id)).toBeDefined();
    expect(cardOf(id)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(4); // three 429s, then the card (and the DM)
    expect(dmsTo(FIN_MEMBER).filter((c) => String(c.args.text).includes(id))).toHaveLength(1);
  });
});

describe("the card's More actions menu", () => {
  /** A choice in the card's menu, as Slack sends it (a static_select in the card's actions block). */
  const choose = (value: string, id: string, user: string) =>
    click(IDS.requestAction.more, id, user, {
      extra: { block_id: `request_actions:${id}`, selected_option: { value }, value: undefined },
    });

  it('each choice does what its button did: Change priority opens its form, Why this due time? explains', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Menu check', description: '' });
    const opened = fake.callsTo('views.open').length;
    expect(await choose(IDS.requestAction.priority, id, IT_MEMBER)).toEqual([]);
    expect(fake.callsTo('views.open')).toHaveLength(opened + 1);
    expect(JSON.stringify(fake.lastModal())).toContain(IDS.priorityModal);
    const said = await choose(IDS.requestAction.explain, id, FIN_MEMBER);
    expect(said.join('\n')).toContain(id);
  });

  it('"Cancel request…" asks first; confirming cancels, once', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Filed by mistake', description: '' });
    expect(await choose(IDS.requestAction.cancel, id, FIN_MEMBER)).toEqual([]);
    expect((await getRequest(db, id))!.status).toBe('open'); // nothing until confirmed
    const form = fake.lastModal();
    expect(form.callback_id).toBe(IDS.cancelModal);
    const viewId = `V${randomUUID().slice(0, 8).toUpperCase()}`;
    expect(await submit(form, {}, FIN_MEMBER, viewId)).toEqual({});
    expect(await submit(form, {}, FIN_MEMBER, viewId)).toEqual({});
    const record = (await getRequestRecord(db, id))!;
    expect(record.request.status).toBe('cancelled');
    expect(record.events.filter((e) => e.type === 'cancel')).toHaveLength(1);
  });

  it('a choice only the requester may make is refused for someone else, with nothing changed', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Not yours to cancel', description: '' });
    await choose(IDS.requestAction.cancel, id, IT_MEMBER);
    const refused = await submit(fake.lastModal(), {}, IT_MEMBER);
    expect(refused.response_action).toBe('update');
    expect((await getRequest(db, id))!.status).toBe('open');
  });
});

describe('the requester answers from the DM', () => {
  it('"needs your input" has an Answer button: its form sends the answer into the history, resumes the clock, and counts once', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Monitor flickers', description: '' });
    await click(IDS.requestAction.acknowledge, id, IT_MEMBER);
    fake.reset();
    await sla(`pause ${id} Which floor are you on?`, IT_MEMBER);
    await http.idle();
    const dm = dmWith(FIN_MEMBER, IDS.requestAction.answer);

    expect(await clickOn(dm, IDS.requestAction.answer, id, FIN_MEMBER)).toEqual([]);
    const modal = fake.lastModal();
    expect(modal.callback_id).toBe(IDS.answerModal);
    expect(JSON.stringify(modal)).toContain('Which floor are you on?');
    expect(await submit(modal, { [IDS.answerBlock]: '  ' }, FIN_MEMBER)).toMatchObject({
      response_action: 'errors',
      errors: { [IDS.answerBlock]: expect.stringMatching(/^Write your answer/) },
    });
    const viewId = `V${randomUUID().slice(0, 8).toUpperCase()}`;
    expect(await submit(modal, { [IDS.answerBlock]: 'Third floor, by the window' }, FIN_MEMBER, viewId)).toEqual({});
    expect(
      await submit(modal, { [IDS.answerBlock]: 'Third floor, by the window' }, FIN_MEMBER, viewId, {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      }),
    ).toEqual({});
    const record = (await getRequestRecord(db, id))!;
    expect(record.request.status).toBe('acknowledged');
    expect(record.request.clocks.resolution.state).toBe('running');
    expect(record.events.filter((e) => e.type === 'comment').map((e) => [e.actor, e.note])).toEqual([
      [FIN_MEMBER, 'Third floor, by the window'],
    ]);
    expect(threadOf(await cardTs(id)).join('\n')).toContain('Third floor, by the window');
    // Whoever was waiting (the assignee, who acknowledged it) hears the answer at once, once.
    const toAssignee = dmsTo(IT_MEMBER).filter((c) => String(c.args.text).includes('Third floor, by the window'));
    expect(toAssignee).toHaveLength(1);
    expect(String(toAssignee[0]!.args.text)).toMatch(new RegExp(`<@${FIN_MEMBER}> wrote on ${id}`));
    expect(String(toAssignee[0]!.args.text)).toContain('The resolution clock runs again.');
    // The DM now says it was answered, by whom and when, and its Answer button is gone.
    const answered = nowReads(dm.ts);
    expect(answered).not.toContain(IDS.requestAction.answer);
    expect(answered).toContain('Which floor are you on?');
    expect(answered).toContain(`You answered — <!date^${Math.floor(clock.now().getTime() / 1000)}^`);

    // Answered: the button's form now says so instead of asking again.
    expect(await click(IDS.requestAction.answer, id, FIN_MEMBER)).toEqual([]);
    expect(modalSays()).toMatch(/is not waiting for your answer any more/);
    expect(fake.lastModal().submit).toBeUndefined();
  });
});

describe('messages show what happened', () => {
  const when = () => `<!date^${Math.floor(clock.now().getTime() / 1000)}^`;
  const rateValue = (id: string, score: number) => JSON.stringify({ id, score });
  const buttonsOf = (ts: string) =>
    [...nowReads(ts).matchAll(/"action_id":"([a-z_0-9]+)"/g)].map((m) => m[1]).filter((a) => a !== undefined);

  it('rating is one click: a double click counts once, the DM thanks them, and the resolver hears the score', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Printer jams', description: '' });
    fake.reset();
    await sla(`resolve ${id} Cleared the paper path`, IT_MEMBER);
    const dm = dmWith(FIN_MEMBER, `${IDS.requestAction.rate}_5`);

    clock.advance(60_000);
    const rate = () => clickOn(dm, `${IDS.requestAction.rate}_5`, rateValue(id, 5), FIN_MEMBER);
    expect(await rate()).toEqual([]);
    expect(await rate()).toEqual([]); // the second click of a double click: no record, no scolding
    expect(await clickOn(dm, `${IDS.requestAction.rate}_2`, rateValue(id, 2), FIN_MEMBER)).toEqual([]);

    const record = (await getRequestRecord(db, id))!;
    expect(record.request.rating).toMatchObject({ score: 5, by: FIN_MEMBER });
    expect(record.events.filter((e) => e.type === 'rate')).toHaveLength(1);
    expect(fake.callsTo('views.open')).toHaveLength(0);

    // The rating row gives way to who rated, what and when, with a thank-you and an optional comment.
    const rated = nowReads(dm.ts);
    expect(rated).toContain(`You rated this 5/5 — ${when()}`);
    expect(rated).toContain('Thank you!');
    expect(buttonsOf(dm.ts)).toEqual([
      IDS.requestAction.comment,
      IDS.sayThanks,
      IDS.requestAction.close,
      IDS.requestAction.reopen,
    ]);
    expect(rated).toContain('Cleared the paper path');

    // The person who resolved it hears the score, once; the requester is not mentioned to themselves.
    const toResolver = dmsTo(IT_MEMBER).map((c) => String(c.args.text));
    expect(toResolver.filter((t) => t.includes(`rated your work on ${id}`))).toEqual([
      expect.stringContaining(`<@${FIN_MEMBER}> rated your work on ${id} (*Printer jams*) 5/5`),
    ]);
    expect(rated).not.toContain(`<@${FIN_MEMBER}>`);

    await step('the comment after the score: its button gives way to the comment; the resolver reads it', async () => {
      clock.advance(60_000);
      await clickOn(dm, IDS.requestAction.comment, id, FIN_MEMBER);
      const modal = fake.lastModal();
      expect(modal.callback_id).toBe(IDS.rateModal);
      expect(await submit(modal, { [IDS.rateBetterBlock]: '' }, FIN_MEMBER)).toMatchObject({
        response_action: 'errors',
        errors: { [IDS.rateBetterBlock]: expect.stringMatching(/already counted/) },
      });
      expect(await submit(modal, { [IDS.rateBetterBlock]: 'A spare tray' }, FIN_MEMBER)).toEqual({});
      expect((await getRequest(db, id))!.rating).toMatchObject({ score: 5, better: 'A spare tray' });
      expect(nowReads(dm.ts)).toContain('“A spare tray”');
      expect(buttonsOf(dm.ts)).toEqual([IDS.sayThanks, IDS.requestAction.close, IDS.requestAction.reopen]);
      expect(dmsTo(IT_MEMBER).at(-1)!.args.text).toContain('added a comment to their 5/5 rating');
    });

    await step('Confirm solved: the buttons give way to who confirmed it and when; Say thanks stays', async () => {
      clock.advance(60_000);
      expect(await clickOn(dm, IDS.requestAction.close, id, FIN_MEMBER)).toEqual([]);
      expect((await getRequest(db, id))!.status).toBe('closed');
      expect(buttonsOf(dm.ts)).toEqual([IDS.sayThanks]);
      expect(nowReads(dm.ts)).toContain(`You confirmed it is solved — ${when()}`);
    });
  });

  it('Reopen from the DM: the buttons give way to who reopened it and when', async () => {
    const id = await file(FIN_MEMBER, { priority: 'P2', title: 'Wifi drops', description: '' });
    await sla(`resolve ${id} Moved you to the 5 GHz network`, IT_MEMBER);
    const dm = dmWith(FIN_MEMBER, IDS.requestAction.reopen);
    clock.advance(60_000);
    expect(await clickOn(dm, IDS.requestAction.reopen, id, FIN_MEMBER)).toEqual([]);
    expect((await getRequest(db, id))!.status).toBe('reopened');
    expect(buttonsOf(dm.ts)).toEqual([]);
    expect(nowReads(dm.ts)).toContain(`You reopened it — ${when()}`);
  });
});

describe('the message shortcut and the App Home', () => {
  it('files a message as a request: its text is the description and the request links back to it', async () => {
    fake.reset();
    const res = await postSigned(
      url,
      interactivity({
        ...messageShortcut(IDS.fileRequestShortcut, fake.responseUrl('sc'), 'The projector in room 4 is flickering'),
        user: { id: FIN_MEMBER, username: 'fin', team_id: 'T0KEPT0001', name: 'fin' },
      }),
    );
    expect(res.status).toBe(200);
    await http.idle();
    const view = fake.lastModal();
    expect(JSON.stringify(view)).toContain('The projector in room 4 is flickering');
    expect(
      await submit(
        view,
        { [IDS.requestServiceBlock]: 'it-for-everyone', priority: 'P3', title: 'Projector flickers' },
        FIN_MEMBER,
      ),
    ).toEqual({});
    const request = (await allItems(db)).find((i) => i.sk === 'REQ' && i.title === 'Projector flickers');
    expect(request).toMatchObject({
      description: 'The projector in room 4 is flickering',
      source: {
        channel: 'C0GENERAL01',
        permalink: 'https://kept-test.slack.com/archives/C0GENERAL01/p1780000000000100',
      },
    });
  });

  /** Kept's replies under the message `ts` in #general. */
  const repliesUnder = (ts: string) =>
    posts().filter((c) => c.args.channel === 'C0GENERAL01' && String(c.args.thread_ts) === ts);

  /** Opens the shortcut on a message (a reply in `thread`, if given) and submits the form; the submission sent. */
  async function fileFromMessage(title: string, message: { ts: string; thread?: string }) {
    const shortcut = messageShortcut(IDS.fileRequestShortcut, fake.responseUrl(`sc-${title}`), `${title}, please`);
    const res = await postSigned(
      url,
      interactivity({
        ...shortcut,
        user: { id: FIN_MEMBER, username: 'fin', team_id: 'T0KEPT0001', name: 'fin' },
        message_ts: message.ts,
        message: {
          ...(shortcut.message as object),
          ts: message.ts,
          ...(message.thread ? { thread_ts: message.thread } : {}),
        },
      }),
    );
    expect(res.status).toBe(200);
    await http.idle();
    const view = fake.lastModal();
    const typed = { [IDS.requestServiceBlock]: 'it-for-everyone', priority: 'P3', title };
    const submission = submitView(view, typed, FIN_MEMBER);
    expect((await postSigned(url, submission)).status).toBe(200);
    await http.idle();
    const id = String((await allItems(db)).find((i) => i.sk === 'REQ' && i.title === title)!.id);
    return { id, submission };
  }

  it('replies under the filed message with a link to the request, once whatever is delivered again', async () => {
    fake.reset();
    const { id, submission } = await fileFromMessage('Screen stays black', { ts: '1780000000.000200' });
    const replies = repliesUnder('1780000000.000200');
    expect(replies).toHaveLength(1);
    const text = String(replies[0]!.args.text);
    const ts = await cardTs(id);
    expect(text).toContain(
      `Filed as <https://kept-test.slack.com/archives/${IT_CHANNEL}/p${ts.replace('.', '')}|*${id}*> for IT`,
    );
    expect(text).toContain('“Screen stays black”');
    expect(text).not.toMatch(/<@/); // nobody is pinged: the person who filed it has their own DM

    // Slack delivering the submission again, and the request changing (the worker runs again): nothing more.
    const again = await postSigned(url, submission, { headers: { 'x-slack-retry-num': '1' } });
    expect(again.status).toBe(200);
    await http.idle();
    expect(await click(IDS.requestAction.acknowledge, id, IT_MEMBER)).toEqual([]);
    expect((await getRequest(db, id))?.status).toBe('acknowledged');
    expect(repliesUnder('1780000000.000200')).toHaveLength(1);
  });

  it("a reply in a thread is answered in that thread, under the thread's first message", async () => {
    fake.reset();
    await fileFromMessage('Badge reader broken', { ts: '1780000000.000400', thread: '1780000000.000300' });
    expect(repliesUnder('1780000000.000400')).toEqual([]);
    expect(repliesUnder('1780000000.000300').map((c) => String(c.args.text))).toEqual([
      expect.stringMatching(/^:ticket: Filed as .*IT-\d+.* for IT: “Badge reader broken”/),
    ]);
  });

  it('a conversation that refuses the reply is not asked again, and the filing goes on', async () => {
    fake.reset();
    // IT's channel refuses the card and #general the reply (Kept in neither): both refused for good.
    fake.failWith('chat.postMessage', 'channel_not_found', 2);
    const { id } = await fileFromMessage('Dock flickers', { ts: '1780000000.000500' });
    expect(dmsTo(FIN_MEMBER).filter((c) => c.outcome === 'ok')).toHaveLength(1); // the confirmation still goes out
    expect(repliesUnder('1780000000.000500').map((c) => c.outcome)).toEqual(['error']);
    // Kept is invited; the next change posts the card and does not try the reply again.
    expect(await click(IDS.requestAction.acknowledge, id, IT_MEMBER)).toEqual([]);
    expect(cardOf(id)).toHaveLength(1);
    expect(repliesUnder('1780000000.000500')).toHaveLength(1);
  });

  it('App Home: my requests for the requester, the queue most urgent first for IT', async () => {
    await file(FIN_MEMBER, { priority: 'P2', title: 'Dock has no power', description: '' });
    fake.reset();
    await postSigned(url, eventEnvelope(appHomeOpened(FIN_MEMBER)), { contentType: JSON_TYPE });
    await postSigned(url, eventEnvelope(appHomeOpened(IT_MEMBER)), { contentType: JSON_TYPE });
    await http.idle();
    // The two homes are published concurrently: find each by its user, not by order.
    const homeOf = (user: string) =>
      JSON.stringify(fake.callsTo('views.publish').find((c) => c.args.user_id === user)?.args.view);
    const [mine, queue] = [homeOf(FIN_MEMBER), homeOf(IT_MEMBER)];
    expect(mine).toContain('My requests');
    expect(mine).toContain('Dock has no power');
    expect(queue).toMatch(/Queue — IT/);
    expect(queue).toContain('Dock has no power');
  });

  it('App Home for someone in no department says who can add them', async () => {
    fake.reset();
    await postSigned(url, eventEnvelope(appHomeOpened(STRANGER)), { contentType: JSON_TYPE });
    await http.idle();
    const home = JSON.stringify(fake.callsTo('views.publish')[0]!.args.view);
    expect(home).toContain(`<@${ADMIN}>`);
    expect(home).not.toContain('/sla new');
  });
});
