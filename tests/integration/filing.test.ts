/**
 * Filing (services/requests.ts `fileFromSlack`) when DynamoDB pushes back: a transaction that
 * collides with another on the provider's day counter is tried again with the number it holds, and
 * when collisions outlast Slack's time the person is told to submit again and nothing is written.
 * DynamoDB Local queues transactions instead of refusing them, so the collisions are injected.
 */
import { fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { getRequest, readSequence } from '../../functions/store/requests';
import { importExample } from '../support/company';
import { allItems, dropTable, freshTable } from '../support/db';
import { collideTransactions } from '../support/faults';

const FIN_MEMBER = 'U0FINMEM1';
/** Tuesday 2026-11-24 10:00 in New York: inside IT's working hours. */
const NOW = new Date('2026-11-24T15:00:00Z');

let db: Db;
beforeEach(async () => {
  db = await freshTable();
  await importExample(db, NOW);
});
afterEach(() => dropTable(db));

const input = (delivery: string) => ({
  user: FIN_MEMBER,
  agreementId: 'it-for-finance',
  priority: 'P2' as const,
  title: 'Laptop will not boot',
  description: 'Black screen since this morning',
  delivery,
  now: NOW,
});

it('a transaction that collided is tried again with the same number, and the request is filed once', async () => {
  const faults = collideTransactions(db, 3);
  const result = await fileFromSlack(db, input('view:V1'));
  expect(result).toMatchObject({ outcome: 'filed', request: { id: 'IT-1', title: 'Laptop will not boot' } });
  expect(faults.tried()).toBe(4);
  expect(await readSequence(db, 'it')).toBe(1);
  expect((await getRequest(db, 'IT-1'))?.requester).toBe(FIN_MEMBER);
  expect((await allItems(db)).filter((i) => i.sk === 'REQ')).toHaveLength(1);
  // The next filing gets the next number: nothing was skipped.
  expect(await fileFromSlack(db, input('view:V2'))).toMatchObject({ outcome: 'filed', request: { id: 'IT-2' } });
});

it('collisions that outlast the time Slack gives: "busy", nothing written, and the next Submit files it', async () => {
  const faults = collideTransactions(db);
  expect(await fileFromSlack(db, input('view:V1'))).toEqual({ outcome: 'busy' });
  expect(faults.tried()).toBeGreaterThan(1);
  expect((await allItems(db)).filter((i) => i.sk === 'REQ' || String(i.pk).startsWith('DELIVERY#'))).toEqual([]);
  // The form stayed open; Submit again sends the same view. Its number was given up: a gap, never a twin.
  faults.heal();
  expect(await fileFromSlack(db, input('view:V1'))).toMatchObject({ outcome: 'filed', request: { id: 'IT-2' } });
  expect(await fileFromSlack(db, input('view:V1'))).toEqual({ outcome: 'duplicate' });
});
