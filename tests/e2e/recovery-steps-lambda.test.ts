import { sumCounters } from '../../functions/domain/stats';
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { getRequestRecord } from '../../functions/store/requests';
import { readDays } from '../../functions/store/stats';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import type { FakeSlack } from '../support/fake-slack';
import { type LambdaApp, startLambdaApp } from '../support/lambda-app';
import { buttonClick, interactivity, submitView } from '../support/slack-requests';

const { opsMember, salesMember } = OPS_FOR_SALES;
const MINUTE = 60_000;

let fake: FakeSlack;
let db: Db;
let lambda: LambdaApp;

beforeAll(async () => {
  lambda = await startLambdaApp(async (seeded) => {
    await importCompany(seeded, opsForSales(), new Date(Date.now() - 3 * 60 * MINUTE));
  });
  ({ fake, db } = lambda);
});
afterAll(() => lambda.stop());

const post = (body: string) => lambda.post(body);

let n = 0;
async function press(actionId: string, id: string) {
  const value = JSON.stringify({ id, kind: 'response' });
  await post(interactivity(buttonClick({ action_id: actionId, value }, opsMember, fake.responseUrl(`l-${++n}`))));
  return fake.lastModal();
}
const send = (modal: Record<string, unknown>, typed: Record<string, string | null>) =>
  post(submitView(modal, typed, opsMember));

it('after the resolve, an explanation reaches the requester and a later cause replaces the first', async () => {
  // Ops works around the clock: filed two hours ago, missed its 30m response, resolved an hour ago.
  const start = Date.now() - 120 * MINUTE;
  const filed = await fileFromSlack(db, {
    user: salesMember,
    agreementId: 'ops-for-sales',
    priority: 'P1',
    title: 'Demo for ACME is down',
    description: '',
    delivery: 'view:L1',
    now: new Date(start),
  });
  if (filed.outcome !== 'filed') throw new Error(JSON.stringify(filed));
  const id = filed.request.id;
  await runScan({ db }, new Date(start + 31 * MINUTE));
  const resolved = await act(db, {
    id,
    user: opsMember,
    action: { type: 'resolve', note: 'Restarted', cause: { category: 'tooling' } },
    now: new Date(start + 60 * MINUTE),
  });
  expect(resolved.outcome).toBe('done');

  const explain = await press(IDS.recoverExplain, id);
  expect(explain.callback_id).toBe(IDS.recoverModal);
  await send(explain, {
    [IDS.recoverTextBlock]: 'A certificate expired on the demo proxy; renewals are automatic now.',
  });
  const said = fake.posted.filter((m) => String(m.text).includes('A certificate expired'));
  expect(said.filter((m) => m.channel === `D${salesMember.slice(1)}`)).toHaveLength(1); // the requester's DM
  expect(said.filter((m) => m.channel === 'C0OPSQUEUE')).toHaveLength(1); // the card's thread

  const cause = await press(IDS.recoverCause, id);
  expect(cause.callback_id).toBe(IDS.recoverCauseModal);
  expect(JSON.stringify(cause)).toContain('"initial_option"'); // the resolve's cause, preset
  await send(cause, { [IDS.recoverCauseBlock]: 'dependency', [IDS.recoverCauseTextBlock]: 'The certificate vendor' });

  const record = (await getRequestRecord(db, id))!;
  expect(record.request.cause).toEqual({ category: 'dependency', text: 'The certificate vendor' });
  expect(record.events.filter((e) => e.type === 'recover').map((e) => [e.recovery, e.actor])).toEqual([
    ['explained', opsMember],
    ['cause', opsMember],
  ]);
  const day = record.request.filed.day;
  const counters = sumCounters((await readDays(db, 'ops', day, day)).days.map((d) => d.counters));
  expect(Object.entries(counters).filter(([k, v]) => k.startsWith('cause|') && v !== 0)).toEqual([
    ['cause|dependency', 1],
  ]);
});
