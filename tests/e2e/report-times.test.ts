/**
 * Times in reports end to end: requests filed through the /sla new modal, answered and solved with
 * signed `/sla ack` and `/sla resolve` commands at known instants of the test's clock, then IT's
 * head asks `/sla report` and sees the median and p90 time to first response and to resolution
 * for the priority; `kept report --format json` has the same figures in working ms.
 */
import { fileThroughModal, keptCli } from '../support/app-steps';
import { importCompany } from '../support/company';
import { type RunningSlackApp, startSlackApp } from '../support/slack-app';
import { postSigned, slashCommand } from '../support/slack-requests';
import { testClock } from '../support/test-clock';

const IT_HEAD = 'U0ITHEAD1';
const IT_MEMBER = 'U0ITMEM01';
const FIN_HEAD = 'U0FINHEAD';
const FIN_MEMBER = 'U0FINMEM1';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const HOURS = { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' };

const COMPANY = {
  departments: [
    {
      id: 'it',
      name: 'IT',
      heads: [IT_HEAD],
      members: [IT_MEMBER],
      channel: 'C0ITQUEUE',
      calendar: { timezone: 'America/New_York', hours: HOURS },
    },
    {
      id: 'finance',
      name: 'Finance',
      heads: [FIN_HEAD],
      members: [FIN_MEMBER],
      channel: 'C0FINQUEUE',
      calendar: { timezone: 'America/New_York', hours: HOURS },
    },
  ],
  agreements: [
    {
      id: 'it-for-finance',
      provider: 'it',
      customer: 'finance',
      service: 'Laptops and accounts',
      targets: { P2: { response: '4h', resolution: '16h' } },
      penalty: { unit: 'points', per_breach: 50 },
    },
  ],
};

let app: RunningSlackApp;
/** Tuesday 10 November 2026, 10:00 in New York: IT is at work (Mon-Fri 9-17). */
const clock = testClock('2026-11-10T10:00');

beforeAll(async () => {
  app = await startSlackApp({}, { now: clock.now });
  await importCompany(app.db, COMPANY, clock.now());
});
afterAll(() => app.stop());

async function sla(text: string, user: string): Promise<{ text: string; blocks?: unknown[] }> {
  const res = await postSigned(app.url, slashCommand({ text, user_id: user }));
  expect(res.status).toBe(200);
  await app.http.idle();
  return res.json() as { text: string; blocks?: unknown[] };
}

it('a head sees the median and p90 time to answer and to solve in /sla report, once requests were answered', async () => {
  const file = (title: string) =>
    fileThroughModal(app, { user: FIN_MEMBER, agreement: 'it-for-finance', priority: 'P2', title });
  const ids = [await file('Laptop will not start'), await file('New starter account'), await file('VPN drops')];

  // Answered after 20 minutes, 50 minutes and 2h30 of IT's working time.
  clock.set('2026-11-10T10:20');
  await sla(`ack ${ids[0]}`, IT_MEMBER);
  clock.set('2026-11-10T10:50');
  await sla(`ack ${ids[1]}`, IT_MEMBER);
  clock.set('2026-11-10T12:30');
  await sla(`ack ${ids[2]}`, IT_MEMBER);
  // Solved after 3h, then two after 5h.
  clock.set('2026-11-10T13:00');
  await sla(`resolve ${ids[0]} Swapped the battery`, IT_MEMBER);
  clock.set('2026-11-10T15:00');
  await sla(`resolve ${ids[1]} Account created`, IT_MEMBER);
  await sla(`resolve ${ids[2]} New VPN profile`, IT_MEMBER);

  const body = await sla('report it 2026-11', IT_HEAD);
  const all = `${body.text}\n${JSON.stringify(body.blocks ?? [])}`;
  expect(all).toContain('*Time to first response and to resolution*');
  // Responses in the ≤ 30m, ≤ 1h and ≤ 3h buckets: half answered within 1h, nine in ten within 3h.
  expect(all).toMatch(/P2\s+3\s+≤ 1h\s+≤ 3h\s+3\s+≤ 5h\s+≤ 5h/);
  expect(all).toContain('Times count targets met since December 2026');
  expect(body.blocks!.length).toBeLessThanOrEqual(50);

  const json = JSON.parse(
    (
      await keptCli(app, ['report', '--dept', 'it', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'json'])
    ).join('\n'),
  );
  expect(json.times).toEqual({
    P2: {
      responseMedianMs: HOUR,
      responseP90Ms: 3 * HOUR,
      resolutionMedianMs: 5 * HOUR,
      resolutionP90Ms: 5 * HOUR,
      counts: { response: 3, resolution: 3 },
    },
  });
});
