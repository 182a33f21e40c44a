import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import { IDS } from '../../functions/slack/ids';
import type { Db } from '../../functions/store/client';
import { readLedger } from '../../functions/store/ledger';
import { getRequest } from '../../functions/store/requests';
import { importCompany, OPS_FOR_SALES, opsForSales } from '../support/company';
import type { FakeSlack } from '../support/fake-slack';
import { type LambdaApp, startLambdaApp } from '../support/lambda-app';
import { buttonClick, interactivity, submitView } from '../support/slack-requests';

const { opsHead, opsMember, salesMember } = OPS_FOR_SALES;
const MINUTE = 60_000;

let fake: FakeSlack;
let db: Db;
let lambda: LambdaApp;

beforeAll(async () => {
  lambda = await startLambdaApp(async (seeded) => {
    const company = opsForSales();
    (company.agreements[0] as Record<string, unknown>).recovery_credit = { share: 0.5, within: '4h' };
    await importCompany(seeded, company, new Date(Date.now() - 3 * 60 * MINUTE));
  });
  ({ fake, db } = lambda);
});
afterAll(() => lambda.stop());

const post = (body: string) => lambda.post(body);

it('an apology and a confirmed recovery through the Lambda handler, credited once', async () => {
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

  await post(
    interactivity(
      buttonClick(
        { action_id: IDS.recoverApologise, value: JSON.stringify({ id, kind: 'response' }) },
        opsHead,
        fake.responseUrl('l-1'),
      ),
    ),
  );
  const modal = fake.lastModal();
  expect(modal.callback_id).toBe(IDS.recoverModal);
  expect(JSON.stringify(modal)).toContain(`We promised to get back to you on ${id}`);
  const text = 'Sorry we were late. The demo is back; I watch it until your call.';
  await post(submitView(modal, { [IDS.recoverTextBlock]: text }, opsHead));
  expect(fake.posted.some((m) => String(m.text).includes('The demo is back'))).toBe(true);

  expect(
    (
      await act(db, {
        id,
        user: opsMember,
        action: { type: 'resolve', note: 'Restarted', cause: { category: 'tooling' } },
        now: new Date(start + 60 * MINUTE),
      })
    ).outcome,
  ).toBe('done');
  for (const n of [2, 3])
    await post(
      interactivity(
        buttonClick(
          { action_id: IDS.recoveredYes, value: JSON.stringify({ id, recovered: true }) },
          salesMember,
          fake.responseUrl(`l-${n}`),
        ),
      ),
    );
  expect(fake.callsTo('response/l-3').map((c) => String(c.args.text))).toEqual([
    expect.stringMatching(/already told Kept/),
  ]);
  const request = (await getRequest(db, id))!;
  expect(request.recovery?.confirmed).toMatchObject({ recovered: true, by: salesMember });
  const ledger = await readLedger(db, 'ops-for-sales', request.breaches!.response!.month);
  expect(ledger.filter((e) => e.type === 'credit').map((e) => e.amount)).toEqual([-25]);
});
