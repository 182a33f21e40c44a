/**
 * Weekly report subscriptions end to end: signed `/sla report subscribe|unsubscribe|subscriptions`
 * commands against the real app, then `kept digest --now` (the scheduled run, every 15 minutes in
 * AWS) at fixed instants: IT's report of the week before comes on Monday at IT's opening (09:00 New
 * York), once per subscription and week however often and however concurrently the run goes,
 * penalty amounts only in the head's DM, never in the channel.
 */
import { fileFromSlack } from '../../functions/services/requests';
import { readAudit } from '../../functions/store/audit';
import { subscriptionsOf } from '../../functions/store/subscriptions';
import { keptCli, keptScan } from '../support/app-steps';
import { importExample } from '../support/company';
import type { PostedMessage } from '../support/fake-slack';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_MEMBER = 'U0FINMEM1';
const ADMIN = 'U0ADMIN01';
const REPORTS = 'C0ITREPORTS';
const PRIVATE = 'G0SECRET01';

let app: RunningSlackApp;
/** Tuesday 24 November 2026, 10:00 in New York. */
const clock = testClock();

async function sla(text: string, user: string): Promise<string> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  return (res.json() as { text: string }).text;
}

const digest = (iso: string) => keptCli(app, ['digest', '--now', new Date(iso).toISOString()]);

/** Weekly reports posted so far, to `channel` (a head's ID for their DM). */
const reportsTo = (channel: string): PostedMessage[] =>
  app.fake.posted.filter((m) => m.channel === channel && String(m.text).startsWith('Weekly report'));

const subscriptionAudit = async () => (await readAudit(app.db, ['it'])).filter((l) => l.subject === 'subscription');

const allText = (m: PostedMessage) => `${String(m.text)}\n${JSON.stringify(m.blocks ?? [])}`;

beforeAll(async () => {
  app = await startSlackApp({ KEPT_ADMINS: ADMIN }, { now: clock.now });
  await importExample(app.db, new Date('2026-11-01T00:00:00Z'));
  // The week of 23 November: a P1 to IT nobody answers misses both targets, 50 points each.
  const filed = await fileFromSlack(app.db, {
    user: FIN_MEMBER,
    agreementId: 'it-for-finance',
    priority: 'P1',
    title: 'Laptop will not start',
    description: '',
    delivery: 'view:WEEKLY1',
    now: new Date('2026-11-24T15:00:00Z'),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  await keptScan(app, '2026-11-24T21:00:00Z');
});
afterAll(() => app.stop());

describe('subscribing', () => {
  it('refuses someone who is not a head of the department, and writes nothing', async () => {
    expect(await sla('report subscribe weekly', IT_MEMBER)).toMatch(/for heads of a department and Kept admins/);
    expect(await sla('report subscribe weekly it', IT_MEMBER)).toMatch(/Weekly reports of IT are for its heads/);
    expect(await sla(`report subscribe weekly <#${REPORTS}|it-reports> it`, IT_MEMBER)).toMatch(/for its heads/);
    expect(await subscriptionsOf(app.db)).toEqual([]);
    expect(await subscriptionAudit()).toEqual([]);
    expect(app.fake.posted.filter((m) => m.channel === REPORTS)).toEqual([]);
  });

  it('asks for the cadence and explains words it does not know', async () => {
    expect(await sla('report subscribe', IT_HEAD)).toMatch(/weekly for now/);
    expect(await sla('report subscribe weekly monthly', IT_HEAD)).toMatch(/did not understand `monthly`/);
    expect(await sla('report subscirbe weekly', IT_HEAD)).toMatch(/Did you mean `\/sla report subscribe`\?/);
    expect(await subscriptionsOf(app.db)).toEqual([]);
  });

  it('a head subscribes their own DM, once however often they ask', async () => {
    expect(await sla('report subscribe weekly', IT_HEAD)).toMatch(
      /Done: IT's report of the week before goes to your DM with Kept, penalties included on Mondays at 09:00 \(America\/New_York\)/,
    );
    expect(await sla('report subscribe weekly it', IT_HEAD)).toMatch(/already goes to your DM; nothing changed/);
    expect(await subscriptionsOf(app.db, 'it')).toEqual([
      expect.objectContaining({ department: 'it', target: IT_HEAD, kind: 'person', by: IT_HEAD }),
    ]);
  });

  it('a channel Kept may not post in gets how to invite Kept, and nothing is written', async () => {
    app.fake.failWith('chat.postMessage', 'channel_not_found');
    expect(await sla(`report subscribe weekly <#${PRIVATE}|secret>`, IT_HEAD)).toMatch(
      /Kept cannot post in <#G0SECRET01> yet, so nothing is subscribed\. Invite Kept there first \(type `\/invite @Kept`/,
    );
    expect((await subscriptionsOf(app.db, 'it')).map((s) => s.target)).toEqual([IT_HEAD]);
  });

  it('a head subscribes a channel, which is told when the report comes; both are in the audit trail', async () => {
    expect(await sla(`report subscribe weekly <#${REPORTS}|it-reports>`, IT_HEAD)).toMatch(
      /Done: IT's report of the week before goes to <#C0ITREPORTS>, with compliance and counts/,
    );
    const note = app.fake.posted.filter((m) => m.channel === REPORTS);
    expect(note).toHaveLength(1);
    expect(String(note[0]!.text)).toMatch(/IT's weekly report will be posted here on Mondays at 09:00/);
    const list = await sla('report subscriptions', IT_HEAD);
    expect(list).toMatch(/IT's weekly report goes on Mondays at 09:00 \(America\/New_York\) to:/);
    expect(list).toContain(`<#${REPORTS}>`);
    expect(list).toContain(`<@${IT_HEAD}>'s DM`);
    const lines = (await subscriptionAudit()).map((l) => [l.id, l.action, l.by]);
    expect(lines.sort()).toEqual([
      [`it/${REPORTS}`, 'subscribed', IT_HEAD],
      [`it/${IT_HEAD}`, 'subscribed', IT_HEAD],
    ]);
    expect(await sla('audit it', IT_HEAD)).toMatch(/subscription `it\/C0ITREPORTS` subscribed/);
  });
});

describe('posting', () => {
  it('nothing before Monday at IT opening', async () => {
    await digest('2026-11-30T08:59:00-05:00');
    expect(reportsTo(IT_HEAD)).toEqual([]);
    expect(reportsTo(REPORTS)).toEqual([]);
  });

  it("at Monday's instant, last week's report once to each: penalty amounts in the head's DM only", async () => {
    await digest('2026-11-30T09:00:00-05:00');
    const [dm] = reportsTo(IT_HEAD);
    const [post] = reportsTo(REPORTS);
    expect(reportsTo(IT_HEAD)).toHaveLength(1);
    expect(reportsTo(REPORTS)).toHaveLength(1);
    expect(String(dm!.text)).toMatch(/IT, the week of 23 November 2026: 0\.0% compliance.*100 points owed/);
    expect(allText(dm!)).toMatch(/100 points owed/);
    expect(String(post!.text)).toMatch(/IT, the week of 23 November 2026: 0\.0% compliance/);
    expect(allText(post!)).not.toMatch(/points|owed|\bEUR\b/);
    expect(allText(post!)).toMatch(/shown only to heads of IT/);
  });

  it('runs again later that week, one after another and at once, post nothing more', async () => {
    await digest('2026-11-30T09:15:00-05:00');
    await Promise.all([
      digest('2026-12-02T12:00:00-05:00'),
      digest('2026-12-02T12:00:00-05:00'),
      digest('2026-12-02T12:00:00-05:00'),
    ]);
    expect(reportsTo(IT_HEAD)).toHaveLength(1);
    expect(reportsTo(REPORTS)).toHaveLength(1);
  });

  it('the next week posts again, caught up by a run late in that week', async () => {
    await digest('2026-12-10T16:00:00-05:00');
    expect(reportsTo(IT_HEAD)).toHaveLength(2);
    expect(reportsTo(REPORTS)).toHaveLength(2);
    expect(String(reportsTo(REPORTS)[1]!.text)).toMatch(/the week of 30 November 2026/);
  });

  it('unsubscribing a channel stops its report; the DM goes on', async () => {
    expect(await sla(`report unsubscribe <#${REPORTS}|it-reports>`, IT_HEAD)).toMatch(
      /Done: IT's weekly report no longer goes to <#C0ITREPORTS>/,
    );
    expect(await sla(`report unsubscribe <#${REPORTS}|it-reports>`, IT_HEAD)).toMatch(/nothing to stop/);
    await digest('2026-12-14T09:00:00-05:00');
    expect(reportsTo(REPORTS)).toHaveLength(2);
    expect(reportsTo(IT_HEAD)).toHaveLength(3);
  });

  it('a subscriber who is no longer a head is told once, and their report stops', async () => {
    const NEW_HEAD = 'U0ITMEM02';
    expect(await sla(`dept heads it add <@${NEW_HEAD}>`, ADMIN)).not.toMatch(/not|only/i);
    expect(await sla('report subscribe weekly', NEW_HEAD)).toMatch(/^Done/);
    expect(await sla(`dept heads it remove <@${NEW_HEAD}>`, ADMIN)).not.toMatch(/not|only/i);
    await digest('2026-12-21T09:00:00-05:00');
    const told = () => app.fake.posted.filter((m) => m.channel === NEW_HEAD);
    expect(told()).toHaveLength(1);
    expect(String(told()[0]!.text)).toMatch(
      /Your weekly report of IT has stopped, as you are no longer one of its heads/,
    );
    expect((await subscriptionsOf(app.db, 'it')).map((s) => s.target)).toEqual([IT_HEAD]);
    expect((await subscriptionAudit()).at(-1)).toMatchObject({
      subject: 'subscription',
      id: `it/${NEW_HEAD}`,
      action: 'stopped: no longer a head',
      by: 'kept',
    });
    await digest('2026-12-28T09:00:00-05:00');
    expect(told()).toHaveLength(1);
    expect(reportsTo(IT_HEAD)).toHaveLength(5);
  });
});
