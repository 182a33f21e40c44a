/** The weekly digest's Block Kit: escaping, Slack's limits, and a week with nothing in it. */
import type { Review } from '../../../../functions/domain/review';
import {
  changeText,
  type DigestInput,
  digestMessage,
  MAX_DIGEST_BLOCKS,
  MAX_LOYALTY,
  MAX_TURNED,
  pickKudos,
  type ScoreRow,
} from '../../../../functions/slack/views/digest';

const row = (over: Partial<ScoreRow> = {}): ScoreRow => ({
  department: 'it',
  name: 'IT',
  requests: 12,
  compliancePct: 91.7,
  previousPct: 88.6,
  met: 11,
  breaches: 1,
  kudos: 2,
  ...over,
});

const input = (over: Partial<DigestInput> = {}): DigestInput => ({
  week: '2026-W48',
  lastWeekLabel: '16–22 November 2026',
  tips: {
    internal: {
      id: 'a',
      kind: 'internal',
      title: 'Say <when>',
      body: 'Give a time & keep it.',
      tryThisWeek: 'Reply with <!here> a time.',
    },
    customer: {
      id: 'b',
      kind: 'customer',
      title: 'Ask early',
      body: 'File before it is urgent.',
      tryThisWeek: 'File one day early.',
    },
  },
  scorecard: [row()],
  kudos: [],
  atRisk: 3,
  ...over,
});

const json = (m: { blocks: unknown[] }) => JSON.stringify(m.blocks);

it('has the header, both tips, the scorecard row with its change and the requests at risk', () => {
  const m = digestMessage(input());
  expect(m.blocks[0]).toEqual({
    type: 'header',
    text: { type: 'plain_text', text: 'Kept weekly — week 48', emoji: true },
  });
  const text = json(m);
  expect(text).toContain('Try this week:');
  expect(text).toContain('91.7% ▲ 3.1 pts');
  expect(text).toContain('*Met*\\n11');
  expect(text).toContain('*Breaches*\\n1');
  expect(text).not.toMatch(/penalt|owed|points/i); // penalties are for heads, never in a channel
  expect(text).toContain('*Kudos received*\\n2');
  expect(text).toContain('3 open requests at risk now');
  expect(m.text).toBe('Kept weekly — week 48: 91.7% average compliance last week, 3 open requests at risk now.');
});

it('escapes every piece of user text, so nothing can ping a channel or forge a link', () => {
  const m = digestMessage(
    input({
      scorecard: [row({ name: 'R&D <b>' })],
      kudos: [
        {
          giver: 'U0ALICE01',
          recipients: ['U0BOB0001', 'not-a-user<!channel>'],
          message: 'Saved <!everyone> the day & more <https://evil|x>',
          values: ['<care>'],
          at: 1,
        },
      ],
    }),
  );
  const text = json(m);
  expect(text).not.toMatch(/<!(here|channel|everyone)>|<https:|<b>|<care>|<@U1>/);
  expect(text).toContain('Say &lt;when&gt;');
  expect(text).toContain('R&amp;D &lt;b&gt;');
  expect(text).toContain('<@U0ALICE01> → <@U0BOB0001>, not-a-user&lt;!channel&gt;');
  expect(text).toContain('&lt;!everyone&gt;');
});

it('stays within Slack limits with 200 departments and very long texts', () => {
  const long = 'x'.repeat(5_000);
  const m = digestMessage(
    input({
      scorecard: Array.from({ length: 200 }, (_, i) =>
        row({ department: `d${i}`, name: `Dept ${i} ${long}`, requests: i }),
      ),
      kudos: Array.from({ length: 10 }, (_, i) => ({
        giver: 'U0ALICE01',
        recipients: Array.from({ length: 20 }, () => 'U0BOB0001'),
        message: long,
        values: [long],
        at: i,
      })),
      tips: {
        internal: { id: 'a', kind: 'internal', title: long, body: long, tryThisWeek: long },
        customer: { id: 'b', kind: 'customer', title: long, body: long, tryThisWeek: long },
        because: 'unclear_request',
      },
      turned: Array.from({ length: 100 }, (_, i) => ({ provider: long, customer: long, requestId: `IT-${i}` })),
      reviews: Array.from({ length: 100 }, (_, i) => ({ agreement: `${long}${i}`, review: review({ key: `k${i}` }) })),
      loyalty: Array.from({ length: 100 }, (_, i) => ({
        name: `${long}${i}`,
        metric: long,
        compliancePct: 50,
        latest: { value: 1e12, week: '2026-W47' },
        correlation: long,
      })),
      atRisk: 0,
    }),
  );
  expect(m.blocks.length).toBeLessThanOrEqual(MAX_DIGEST_BLOCKS);
  for (const b of m.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[]) {
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
    expect((b.fields ?? []).length).toBeLessThanOrEqual(10);
  }
  expect(json(m)).toContain('…and 170 more departments');
  expect(json(m)).toContain('No open request is at risk right now'); // the last block survives
  expect(json(m)).toContain('Dept 199'); // the busiest stay
});

it('an empty week reads well: no tips, no departments, no kudos, nothing at risk', () => {
  const m = digestMessage({
    week: '2026-W01',
    lastWeekLabel: '22–28 December 2025',
    scorecard: [],
    kudos: [],
    atRisk: 0,
  });
  const text = json(m);
  expect(text).toContain('Kept weekly — week 1');
  expect(text).toContain('No department provides a service yet.');
  expect(text).toContain('No kudos last week');
  expect(text).toContain('No open request is at risk right now.');
  expect(text).not.toContain('Try this week');
  expect(m.text).toBe('Kept weekly — week 1: 0 open requests at risk now.');
});

it('a department with no requests shows a dash, not 0%', () => {
  const text = json(
    digestMessage(
      input({
        scorecard: [row({ requests: 0, compliancePct: null, previousPct: 90, met: 0, breaches: 0 })],
      }),
    ),
  );
  expect(text).toContain('*Compliance*\\n—');
  expect(text).toContain('*Met*\\n0');
});

it('change against the week before, in points', () => {
  expect(changeText(90, 85.5)).toBe('▲ 4.5 pts');
  expect(changeText(80, 81)).toBe('▼ 1 pt');
  expect(changeText(80, 80)).toBe('= 0 pts');
  expect(changeText(null, 80)).toBe('');
  expect(changeText(80, null)).toBe('');
});

it('picks up to three kudos: most values, then the longest', () => {
  const k = (message: string, values: string[], at = 0) => ({ giver: 'U0A', recipients: ['U0B'], message, values, at });
  const picked = pickKudos([
    k('short', []),
    k('a longer message', []),
    k('x', ['a', 'b']),
    k('', ['a', 'b', 'c']),
    k('mid', ['a']),
  ]);
  expect(picked.map((p) => p.message)).toEqual(['x', 'mid', 'a longer message']);
});

it('thanks the teams that turned a miss around: teams and IDs only, escaped, five lines then how many more', () => {
  const turned = Array.from({ length: MAX_TURNED + 2 }, (_, i) => ({
    provider: i === 0 ? 'IT <!channel>' : 'IT',
    customer: 'Finance & Legal',
    requestId: `IT-${i + 1}`,
  }));
  const text = json(digestMessage(input({ turned })));
  expect(text).toContain('*Turned it around* (misses put right, as the requesters told Kept)');
  expect(text).toContain(
    ':sparkles: IT &lt;!channel&gt; turned it around for Finance &amp; Legal on IT-1 — thank you.',
  );
  expect(text).toContain(`on IT-${MAX_TURNED} — thank you.`);
  expect(text).not.toContain(`on IT-${MAX_TURNED + 1} `);
  expect(text).toContain('…and 2 more requests put right. Thank you all.');
  expect(text).not.toContain('<!channel>');
  expect(json(digestMessage(input({ turned: [] })))).not.toContain('Turned it around');
});

it('says why the internal tip was chosen when it follows last week’s most frequent cause', () => {
  const tips = input().tips!;
  const why = json(digestMessage(input({ tips: { ...tips, because: 'handoff' } })));
  expect(why).toContain("_Last week's misses came most often from handoffs, so this one is about that._");
  expect(json(digestMessage(input()))).not.toContain('came most often');
});

it('sets customer figures beside what the department received: escaped, five lines by name, then how many more', () => {
  const loyalty = Array.from({ length: MAX_LOYALTY + 1 }, (_, i) => ({
    name: i === 0 ? 'Accounts <!here>' : `Dept ${i}`,
    metric: 'nps',
    compliancePct: i === 0 ? 92.5 : null,
    ...(i === 0 ? { latest: { value: 41, week: '2026-W47' } } : {}),
    correlation: 'r = 0.62 over 12 weeks: moved moderately in the same direction',
  }));
  const text = json(digestMessage(input({ loyalty })));
  expect(text).toContain(
    '*Dept 1* · nothing met or missed last week · no nps figure yet · r = 0.62 over 12 weeks: moved moderately in the same direction',
  );
  expect(text).toContain('*Accounts &lt;!here&gt;* · received 92.5% last week · nps 41 (week 47) · r = 0.62');
  expect(text).not.toContain('<!here>');
  expect(text).not.toContain('*Dept 5*');
  expect(text).toContain("…and 1 more figure: each department's heads see theirs in `/sla report customer`.");
  expect(text).toContain('does not show that one caused the other');
  expect(json(digestMessage(input()))).not.toContain("customers' figures");
});

function review(over: Partial<Review> = {}): Review {
  return {
    agreementId: 'it-for-finance',
    key: 'tier|2026-12|3',
    trigger: { kind: 'tier', month: '2026-12', fromBreach: 3, multiplier: 2 },
    provider: 'it',
    customers: ['finance'],
    openedAt: 1,
    breaches: [],
    ...over,
  };
}

it('tells everyone of last week’s joint reviews: follow-ups first, no penalty, no fix text, five then how many more', () => {
  const agreed = {
    fix: 'Spare laptops at month end',
    owner: 'U0ITHEAD1',
    date: '2026-12-09',
    by: 'U0ITHEAD1',
    at: 2,
    followUpAt: 3,
  };
  const reviews = [
    { agreement: 'IT · Laptops', review: review() },
    { agreement: 'IT · Laptops', review: review({ key: 'b', agreed }) },
    {
      agreement: 'Ops <!channel>',
      review: review({
        key: 'c',
        trigger: { kind: 'cause', category: 'handoff' },
        agreed,
        followUp: { outcome: 'held', count: 0, at: 4 },
      }),
    },
    ...Array.from({ length: 4 }, (_, i) => ({ agreement: `Z${i}`, review: review({ key: `z${i}` }) })),
  ];
  const text = json(digestMessage(input({ reviews })));
  expect(text).toContain('*Fixing causes together*');
  const lines = text.slice(text.indexOf('*Fixing causes together*')).split('\\n');
  expect(lines[1]).toContain('*Ops &lt;!channel&gt;*: the cause');
  expect(lines[1]).toContain('fix agreed, and it held: no breach came back by the follow-up. Thank you, both sides.');
  expect(lines[2]).toContain('*IT · Laptops*: December 2026 reached 3 breaches; fix agreed, done by 2026-12-09');
  expect(text).toContain('…and 2 more joint reviews');
  expect(text).not.toContain('×2');
  expect(text).not.toContain('Spare laptops');
  expect(json(digestMessage(input({ reviews: [] })))).not.toContain('Fixing causes together');
});
