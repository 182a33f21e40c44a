/**
 * `/sla tips` end to end: signed slash commands and modal submissions against the real app on a
 * fresh table, Slack's side played by the fake Slack. The app's clock is set, so "this week" is known.
 */

import { activeTips, builtInTips, pickTips, type Tip } from '../../functions/domain/tips';
import { addWeeks, mondayOfWeek } from '../../functions/domain/weeks';
import type { SlackHttp } from '../../functions/slack/http-server';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { readAllTips, readCatalogue } from '../../functions/store/tips';
import { importExample } from '../support/company';
import { allItems } from '../support/db';
import type { FakeSlack } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand, submitView } from '../support/slack-requests';
import { step } from '../support/step';

const ADMIN = 'U0ADMIN01';
const BEN = 'U0BENMEM1';
const WEEK = '2026-W48';

let now = new Date('2026-11-25T10:00:00Z'); // a Wednesday of 2026-W48
let app: RunningSlackApp;
let fake: FakeSlack;
let db: Db;
let http: SlackHttp;
let url: string;

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: () => now });
  ({ fake, db, http, url } = app);
});
afterAll(() => app.stop());

type Answer = { text: string; blocks?: unknown[] };

async function tips(text: string, user = ADMIN): Promise<Answer | undefined> {
  const res = await postSigned(
    url,
    slashCommand({ text: `tips ${text}`.trim(), user_id: user, channel_id: 'C0GENERAL01' }),
  );
  expect(res.status).toBe(200);
  return res.text ? (res.json() as Answer) : undefined;
}

const all = (a: Answer | undefined) => `${a?.text ?? ''}\n${JSON.stringify(a?.blocks ?? [])}`;

async function openModal(text: string): Promise<Record<string, unknown>> {
  fake.reset();
  expect(await tips(text)).toBeUndefined(); // the modal is the answer
  await http.idle();
  expect(fake.callsTo('views.open')).toHaveLength(1);
  return fake.lastModal();
}

async function submit(view: Record<string, unknown>, typed: Record<string, string | null>, user = ADMIN) {
  const res = await postSigned(url, submitView(view, typed, user));
  expect(res.status).toBe(200);
  await http.idle();
  return res.text ? (res.json() as { response_action?: string; errors?: Record<string, string> }) : {};
}

const expected = (catalogue: readonly Tip[], week = WEEK) => pickTips(catalogue, week);

describe('reading tips (anyone)', () => {
  it("shows this week's two tips and the counts", async () => {
    const answer = await tips('', BEN);
    const picks = expected(builtInTips());
    expect(answer!.text).toBe(`This week's tips (${WEEK}): ${picks.internal.title} / ${picks.customer.title}`);
    expect(all(answer)).toContain(picks.internal.id);
    expect(all(answer)).toContain(picks.customer.id);
    expect(all(answer)).toContain(
      'In rotation: 67 tips for serving colleagues, 64 for serving customers (0 added by admins, 0 edited, 0 retired)',
    );
    expect(all(answer)).not.toContain('/sla tips add'); // not offered to someone who cannot
  });

  it('lists one kind by id and title, in pages of at most 50 blocks', async () => {
    const first = await tips('list internal', BEN);
    expect(first!.blocks!.length).toBeLessThanOrEqual(50);
    expect(first!.text).toBe('Serving colleagues: 67 tips, page 1 of 2');
    expect(all(first)).toContain('`int-actionable-request` Write a request someone can act on');
    expect(all(first)).toContain('/sla tips list internal page 2');
    const second = await tips('list internal page 2', BEN);
    expect(second!.text).toBe('Serving colleagues: 67 tips, page 2 of 2');
    const ids = (a: Answer | undefined) => [...all(a).matchAll(/`(int-[a-z0-9-]+)`/g)].map((m) => m[1]);
    expect(new Set([...ids(first), ...ids(second)]).size).toBe(67);
    expect(all(await tips('list customer', BEN))).toContain('cus-first-30-seconds');
  });

  it('shows one tip in full', async () => {
    const answer = await tips('show int-handoff-note', BEN);
    const tip = builtInTips().find((t) => t.id === 'int-handoff-note')!;
    expect(all(answer)).toContain(tip.tryThisWeek);
    expect(all(answer)).toContain('Built in. In the rotation.');
  });

  it.each([
    ['list', /^Say which tips: `\/sla tips list internal`/],
    ['list partners', /^Say which tips/],
    ['list internal page 3', /^There are 2 pages of internal tips/],
    ['list internal page x', /^There are 2 pages of internal tips/],
    ['show', /^Say which tip, e\.g\. `\/sla tips show int-handoff-note`/],
    ['show int-nope', /^There is no tip `int-nope`\./],
    ['show <!channel>', /^There is no tip `&lt;!channel&gt;`\./],
    ['frobnicate', /^I don't know `\/sla tips frobnicate`\. Try:/],
  ])('answers `/sla tips %s` with one clear line', async (text, line) => {
    const answer = await tips(text, BEN);
    expect(answer!.text).toMatch(line);
    expect(answer!.blocks).toBeUndefined();
  });
});

describe('changing tips (admins)', () => {
  it.each(['add internal', 'edit int-handoff-note', 'retire int-handoff-note', 'unretire int-handoff-note'])(
    'refuses `/sla tips %s` from someone who is not an admin, naming the admins, and writes nothing',
    async (text) => {
      fake.reset();
      const before = (await allItems(db)).length;
      expect((await tips(text, BEN))!.text).toBe(
        `Changing tips needs a Kept admin (<@${ADMIN}>). Anyone can \`/sla tips list\` and \`/sla tips show ID\`.`,
      );
      await http.idle();
      expect(fake.callsTo('views.open')).toHaveLength(0);
      expect((await allItems(db)).length).toBe(before);
    },
  );

  it.each([
    ['add', /^Say which kind of tip/],
    ['add partner', /^Say which kind of tip/],
    ['retire', /^Say which tip/],
    ['retire int-nope', /^There is no tip `int-nope`/],
    ['unretire int-handoff-note', /^`int-handoff-note` is not retired; nothing changed\.$/],
  ])("answers an admin's `/sla tips %s` with one clear line", async (text, line) => {
    expect((await tips(text))!.text).toMatch(line);
  });

  it("opens the edit form at once and says so when an admin's `/sla tips edit cus-nope` names no tip", async () => {
    const view = await openModal('edit cus-nope');
    expect(JSON.stringify(view.blocks)).toMatch(/There is no tip `cus-nope`/);
    expect(view.submit).toBeUndefined();
  });

  it('an admin adds a tip, edits one, is not fooled by a non-admin, and retires one and brings it back', async () => {
    await step(
      "adds a tip from the modal: a too-long body is refused on its block, then it is saved and joins this week's rotation",
      async () => {
        const view = await openModal('add customer');
        expect(view.callback_id).toBe(IDS.tipModal);
        const inputs = (view.blocks as { block_id?: string; element?: { max_length?: number } }[]).filter(
          (b) => b.element,
        );
        expect(inputs.map((b) => [b.block_id, b.element!.max_length])).toEqual([
          [IDS.tipTitleBlock, 60],
          [IDS.tipBodyBlock, 280],
          [IDS.tipTryBlock, 160],
        ]);

        const typed = {
          [IDS.tipTitleBlock]: 'Ask what a good outcome looks like',
          [IDS.tipBodyBlock]: 'x'.repeat(281),
          [IDS.tipTryBlock]:
            'On five calls this week, ask the customer what a good outcome would be before you offer one.',
        };
        const refused = await submit(view, typed);
        expect(refused).toEqual({
          response_action: 'errors',
          errors: { [IDS.tipBodyBlock]: 'The tip must be at most 280 characters.' },
        });
        expect(await readAllTips(db)).toHaveLength(131);

        const sameTitle = await submit(view, {
          ...typed,
          [IDS.tipTitleBlock]: 'Use the first 30 seconds WELL',
          [IDS.tipBodyBlock]:
            'Customers often know exactly what would put things right. Ask them before guessing, and you may find it is smaller than you feared.',
        });
        expect(sameTitle.errors).toEqual({
          [IDS.tipTitleBlock]: 'Tip `cus-first-30-seconds` already has this title. Pick another.',
        });

        fake.reset();
        const body =
          'Customers often know exactly what would put things right. Ask them before guessing, and you may find it is smaller than you feared.';
        expect(await submit(view, { ...typed, [IDS.tipBodyBlock]: body })).toEqual({});
        const [confirm] = fake.callsTo('chat.postEphemeral');
        expect(confirm!.args).toMatchObject({
          channel: 'C0GENERAL01',
          user: ADMIN,
          text: 'Added `cus-ask-what-a-good-outcome-looks-like` (Ask what a good outcome looks like) to the customer tips; it joins the weekly rotation now.',
        });

        const catalogue = await readCatalogue(db);
        const added = catalogue.find((t) => t.id === 'cus-ask-what-a-good-outcome-looks-like');
        expect(added).toEqual({
          id: 'cus-ask-what-a-good-outcome-looks-like',
          kind: 'customer',
          title: 'Ask what a good outcome looks like',
          body,
          tryThisWeek: typed[IDS.tipTryBlock],
        });
        expect(all(await tips('show cus-ask-what-a-good-outcome-looks-like', BEN))).toContain(
          'Added by an admin. In the rotation.',
        );

        // Within the next 65 weeks comes the week that shows it; /sla tips says so that week.
        const week = Array.from({ length: 65 }, (_, i) => addWeeks(WEEK, i)).find(
          (w) => expected(catalogue, w).customer.id === added!.id,
        )!;
        expect(week).toBeDefined();
        now = new Date(mondayOfWeek(week)! + 3_600_000);
        try {
          const answer = await tips('', BEN);
          expect(answer!.text).toBe(
            `This week's tips (${week}): ${expected(catalogue, week).internal.title} / ${added!.title}`,
          );
          expect(all(answer)).toContain('65 for serving customers (1 added by admins, 0 edited, 0 retired)');
        } finally {
          now = new Date('2026-11-25T10:00:00Z');
        }
      },
    );

    await step('edits a tip in a modal filled with its words', async () => {
      const view = await openModal('edit int-handoff-note');
      const title = (view.blocks as { block_id?: string; element?: { initial_value?: string } }[]).find(
        (b) => b.block_id === IDS.tipTitleBlock,
      );
      expect(title!.element!.initial_value).toBe('Leave a handoff note that stands alone');
      const blank = await submit(view, { [IDS.tipTryBlock]: '' });
      expect(blank.errors).toEqual({ [IDS.tipTryBlock]: '"try this week" needs at least 15 characters.' });
      expect(await submit(view, { [IDS.tipTitleBlock]: 'Write a handoff note that stands alone' })).toEqual({});
      const entry = (await readAllTips(db)).find((e) => e.tip.id === 'int-handoff-note');
      expect(entry).toMatchObject({
        source: 'edit',
        retired: false,
        tip: { title: 'Write a handoff note that stands alone' },
      });
      expect(all(await tips('list internal', BEN))).toContain(
        '`int-handoff-note` Write a handoff note that stands alone _(edited)_',
      );
    });

    await step('refuses a submission from someone who is not an admin', async () => {
      const view = await openModal('edit int-handoff-note');
      const answer = await submit(view, { [IDS.tipTitleBlock]: 'Sneaky' }, BEN);
      expect(answer.errors?.[IDS.tipTitleBlock]).toMatch(/^Changing tips needs a Kept admin/);
      expect((await readCatalogue(db)).find((t) => t.id === 'int-handoff-note')?.title).toBe(
        'Write a handoff note that stands alone',
      );
    });

    await step("retires this week's tip, so the week shows another, and brings it back", async () => {
      const before = await readCatalogue(db);
      const picked = expected(before).internal;
      expect((await tips(`retire ${picked.id}`))!.text).toBe(
        `Retired \`${picked.id}\` (${picked.title}): it leaves the rotation from now. \`/sla tips unretire ${picked.id}\` brings it back.`,
      );
      expect((await tips(`retire ${picked.id}`))!.text).toBe(`\`${picked.id}\` is already retired; nothing changed.`);

      const after = activeTips(await readAllTips(db));
      const week = await tips('', BEN);
      expect(all(week)).not.toContain(picked.id);
      expect(week!.text).toBe(
        `This week's tips (${WEEK}): ${expected(after).internal.title} / ${expected(after).customer.title}`,
      );
      expect(all(week)).toContain('(1 added by admins, 1 edited, 1 retired)');
      expect(all(await tips('list internal', BEN)) + all(await tips('list internal page 2', BEN))).toContain(
        `\`${picked.id}\` ~`,
      );

      expect((await tips(`unretire ${picked.id}`))!.text).toBe(
        `\`${picked.id}\` (${picked.title}) is back in the rotation.`,
      );
      expect(expected(await readCatalogue(db)).internal.id).toBe(picked.id);
    });
  });
});

describe('whose week', () => {
  it('on Sunday evening in New York, with the digest set to New York, shows the week the digest shows, not the UTC one', async () => {
    await importExample(db); // digest: #general, Mondays 09:00 America/New_York
    now = new Date('2026-11-30T03:00:00Z'); // Sunday 29 November, 22:00 in New York; Monday in UTC (2026-W49)
    try {
      const answer = await tips('', BEN);
      const picks = pickTips(activeTips(await readAllTips(db)), WEEK);
      expect(answer!.text).toBe(`This week's tips (${WEEK}): ${picks.internal.title} / ${picks.customer.title}`);
    } finally {
      now = new Date('2026-11-25T10:00:00Z');
    }
  });
});
