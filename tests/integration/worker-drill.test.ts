/**
 * Fault drill: Slack browns out for a minute (500s, 429s with Retry-After 30, calls that never
 * answer, with some calls going through in between), then recovers. The worker drains the queue
 * the way Lambda's SQS event source drives it: batches of 10 from tests/support/fake-queue.ts,
 * batch item failures shown again after the visibility timeout, rate-limited items re-queued with
 * their delay, a time budget taken from what each invocation spent. "A minute" is the fake's
 * outage switch and the test clock, not real time. Afterwards every request card, thread reply,
 * requester DM, kudos DM and proposal DM is in Slack exactly once, and nothing is dead-lettered.
 */
import { LogLevel } from '@slack/web-api';
import { parseConfig } from '../../functions/config';
import { answerers, draftProposal } from '../../functions/domain/proposal';
import { processWorkBatch } from '../../functions/jobs/work';
import { act, fileFromSlack } from '../../functions/services/requests';
import { giveKudos } from '../../functions/slack/listeners/kudos';
import { createSlackClient, SLACK_CALL_TIMEOUT_MS, workerSlackClient } from '../../functions/slack/web-client';
import { getAgreementVersion, saveProposal } from '../../functions/store/agreements';
import type { Db } from '../../functions/store/client';
import { deliveryClaimItem } from '../../functions/store/deliveries';
import { readDirectory } from '../../functions/store/directory';
import { getKudos } from '../../functions/store/kudos';
import { getRequestRecord } from '../../functions/store/requests';
import { WORKER_TIMEOUT_SECONDS } from '../../functions/work/worker-settings';
import { importExample } from '../support/company';
import { dropTable, freshTable } from '../support/db';
import { FakeQueue } from '../support/fake-queue';
import { FakeSlack, type RecordedCall } from '../support/fake-slack';
import { testClock } from '../support/test-clock';

const IT_CHANNEL = 'C0ITQUEUE';
const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const IT_MEMBER_2 = 'U0ITMEM02';
const REQUESTER = 'U0FINMEM1';
const GIVER = 'U0SUPMEM1';
/** What a Slack call costs an invocation in the drill: a call that hangs runs to the client's timeout. */
const CALL_MS = 300;
const OUTAGE_MS = 60_000;

let fake: FakeSlack;
let db: Db;
beforeAll(async () => {
  fake = await FakeSlack.start();
  db = await freshTable();
  await importExample(db);
});
afterAll(async () => {
  await fake.stop();
  await dropTable(db);
});

const clock = testClock();
const queue = new FakeQueue(clock.ms);
const deps = () => ({
  db,
  admins: [],
  now: clock.now,
  outbox: queue,
  // The production worker client; only its timeout is shorter, so a hang costs the test 0.2 s, not 2.5 s.
  slack: workerSlackClient(
    { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-test-token' },
    { timeout: 200, logLevel: LogLevel.ERROR },
  ),
});

/**
 * Lambda's event source until the queue is empty: a batch whenever a message is visible, the clock
 * moved on by what the invocation spent (and to the next visible message when none is), the outage
 * switched off once `recoverAt` has passed. Each invocation's time left is its timeout minus the
 * Slack calls it made, a hang counted at the production timeout.
 */
async function drain(recoverAt: number): Promise<{ invocations: number; handedBack: number }> {
  let invocations = 0;
  let handedBack = 0;
  for (let round = 0; round < 200; round++) {
    if (clock.ms() >= recoverAt) fake.recover();
    const next = queue.nextVisibleAt();
    if (next === undefined) return { invocations, handedBack };
    if (next > clock.ms()) {
      clock.advance(next - clock.ms());
      continue;
    }
    const batch = queue.receive();
    if (batch.Records.length === 0) continue; // only dead letters were due
    const from = fake.calls.length;
    const spent = () =>
      fake.calls.slice(from).reduce((ms, c) => ms + (c.outcome === 'hang' ? SLACK_CALL_TIMEOUT_MS : CALL_MS), 0);
    const result = await processWorkBatch(deps(), batch, () => WORKER_TIMEOUT_SECONDS * 1000 - spent());
    queue.settle(batch, result);
    invocations += 1;
    handedBack += result.batchItemFailures.length;
    clock.advance(spent() + 1_000);
  }
  throw new Error(`the queue was not drained: ${queue.messages.length} messages left`);
}

/** chat.postMessage calls Slack took, and what each was. */
const okPosts = () => fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
const isCard = (c: RecordedCall) => c.args.channel === IT_CHANNEL && c.args.thread_ts === undefined;
const dmsTo = (user: string) => okPosts().filter((c) => c.args.channel === user);

async function fileOne(title: string): Promise<string> {
  const result = await fileFromSlack(db, {
    user: REQUESTER,
    agreementId: 'it-for-finance',
    priority: 'P2',
    title,
    description: 'Since this morning',
    delivery: `view:${title}`,
    now: clock.now(),
  });
  if (result.outcome !== 'filed') throw new Error(`not filed: ${JSON.stringify(result)}`);
  await queue.send({ type: 'request.changed', id: result.request.id });
  return result.request.id;
}

it('Slack answering 500, 429 (Retry-After 30) and timeouts for a minute: afterwards every card, thread reply and DM is in Slack exactly once', async () => {
  // Before the outage: a request whose card is already in the channel.
  const first = await fileOne('VPN drops every hour');
  await drain(clock.ms());
  expect(okPosts().filter(isCard)).toHaveLength(1);
  const cardTs = (await getRequestRecord(db, first))!.card!.ts;

  // Work that piles up as the outage starts: a change on it (thread reply and DM), two new
  // requests (cards and confirmations), kudos for two people and a proposal for Finance's heads.
  const ack = await act(db, { id: first, user: IT_MEMBER, action: { type: 'acknowledge' }, now: clock.now() });
  if (ack.outcome !== 'done') throw new Error(JSON.stringify(ack));
  await queue.send({ type: 'request.changed', id: first });
  const second = await fileOne('Laptop will not boot');
  const third = await fileOne('New starter needs an account');

  const config = parseConfig({ SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_BOT_TOKEN: 'xoxb-1' });
  const lookUps = createSlackClient({ SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-1' });
  const given = await giveKudos({ config, db, now: clock.now }, lookUps, {
    giver: GIVER,
    recipients: [IT_MEMBER, IT_MEMBER_2],
    message: 'Fixed the VPN for the whole floor',
    values: [],
    source: 'command',
    delivery: 'command:drill',
  });
  if (given.outcome !== 'given') throw new Error(JSON.stringify(given));
  await queue.send({ type: 'kudos.given', week: given.kudos.week, id: given.kudos.id });

  const dir = await readDirectory(db);
  const agreement = dir.agreements.find((a) => a.id === 'it-for-finance')!;
  const proposal = draftProposal({
    dir,
    terms: { ...agreement.active!, penalty: { ...agreement.active!.penalty, perBreach: 70 } },
    base: agreement,
    user: IT_HEAD,
    side: 'it',
    now: clock.now().toISOString(),
  });
  await saveProposal(db, proposal, agreement, deliveryClaimItem(db, 'view:drill-proposal'));
  await queue.send({ type: 'agreement.proposed', id: proposal.id, version: proposal.version });
  const heads = answerers(dir, [], proposal);
  expect(heads.length).toBeGreaterThan(0);

  // The minute of brownout: half the calls fail, in turn a 500, a 429 and a call never answered.
  const before = fake.calls.length;
  fake.outage([
    { kind: 'http_error', status: 500 },
    { kind: 'ok' },
    { kind: 'rate_limited', retryAfter: 30 },
    { kind: 'ok' },
    { kind: 'hang' },
    { kind: 'ok' },
  ]);
  const run = await drain(clock.ms() + OUTAGE_MS);

  // It was a real brownout, and the worker went through all three kinds of failure.
  const outcomes = new Set(fake.calls.slice(before).map((c) => c.outcome));
  expect([...outcomes].sort()).toEqual(['hang', 'http_error', 'ok', 'rate_limited']);
  expect(queue.sent.filter((s) => s.delaySeconds === 30).length).toBeGreaterThan(0);
  expect(run.invocations).toBeGreaterThan(1);
  // Nothing lost, nothing dead-lettered.
  expect(queue.messages).toEqual([]);
  expect(queue.dead).toEqual([]);

  // Exactly once: no message Slack took twice, and each one that should be there is.
  const seen = okPosts().map((c) => JSON.stringify([c.args.channel, c.args.thread_ts ?? null, c.args.text]));
  expect(seen.length).toBe(new Set(seen).size);
  for (const id of [first, second, third])
    expect([id, okPosts().filter((c) => isCard(c) && String(c.args.text).includes(id)).length]).toEqual([id, 1]);
  const thread = okPosts().filter((c) => c.args.thread_ts === cardTs);
  expect(thread).toHaveLength(1);
  expect(String(thread[0]!.args.text)).toMatch(/acknowledged/);
  const requesterDms = dmsTo(REQUESTER).map((c) => String(c.args.text));
  expect(requesterDms).toHaveLength(4); // three confirmations and the acknowledgement
  for (const id of [first, second, third])
    expect(requesterDms.filter((t) => t.startsWith(`Filed *${id}*`))).toHaveLength(1);
  expect(requesterDms.filter((t) => t.includes('acknowledged'))).toHaveLength(1);
  for (const user of [IT_MEMBER, IT_MEMBER_2]) expect([user, dmsTo(user).length]).toEqual([user, 1]);
  for (const user of heads) expect([user, dmsTo(user).length]).toEqual([user, 1]);
  expect(dmsTo(IT_HEAD)).toHaveLength(1); // the proposer's "sent" note

  // And each is remembered, so a late duplicate of any item would post nothing.
  for (const id of [first, second, third])
    expect((await getRequestRecord(db, id))!.events.every((e) => e.announcedAt !== undefined)).toBe(true);
  expect(Object.keys((await getKudos(db, given.kudos.week, given.kudos.id))!.dmed).sort()).toEqual(
    [IT_MEMBER, IT_MEMBER_2].sort(),
  );
  expect(Object.keys((await getAgreementVersion(db, proposal.id, proposal.version))!.messages).sort()).toEqual(
    [...heads.map((h) => `proposal:${h}`), `sent:${IT_HEAD}`].sort(),
  );
});
