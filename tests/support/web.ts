/** The history the web dashboard's tests read: the example company with a November of IT requests for Finance. */
import { runScan } from '../../functions/jobs/scan';
import { act, fileFromSlack } from '../../functions/services/requests';
import type { Db } from '../../functions/store/client';
import { importExample } from './company';

export const IT_MEMBER = 'U0ITMEM01';
export const FIN_MEMBER = 'U0FINMEM1';

/**
 * examples/company.yaml, then two P1 requests from Finance to IT on Tuesday 17 November 2026: one
 * answered and solved in time (met), one never answered (breached both targets by the scan of the
 * 18th). IT's compliance in November is 50%.
 */
export async function seedNovember(db: Db): Promise<void> {
  await importExample(db, new Date('2026-11-02T00:00:00Z'));
  const file = async (title: string, iso: string) => {
    const r = await fileFromSlack(db, {
      user: FIN_MEMBER,
      agreementId: 'it-for-finance',
      priority: 'P1',
      title,
      description: '',
      delivery: `view:${title}`,
      now: new Date(iso),
    });
    if (r.outcome !== 'filed') throw new Error(JSON.stringify(r));
    return r.request.id;
  };
  const work = async (id: string, action: Parameters<typeof act>[1]['action'], iso: string) => {
    const r = await act(db, { id, user: IT_MEMBER, action, now: new Date(iso) });
    if (r.outcome !== 'done') throw new Error(JSON.stringify(r));
  };
  // Tuesday 17 November, 09:00 in New York: answered in 10 minutes, solved in an hour (met).
  const met = await file('Laptop will not start', '2026-11-17T14:00:00Z');
  await work(met, { type: 'acknowledge' }, '2026-11-17T14:10:00Z');
  await work(met, { type: 'resolve', note: 'New laptop' }, '2026-11-17T15:00:00Z');
  // An hour later, never answered: misses both targets.
  await file('Password reset', '2026-11-17T15:00:00Z');
  await runScan({ db }, new Date('2026-11-18T20:00:00Z'));
}
