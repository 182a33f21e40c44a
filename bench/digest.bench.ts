/**
 * (g) Digest fan-out to 200 channels against the fake Slack, which limits chat.postMessage like
 * Slack does (a token bucket: 50 a second, bursts of 50; beyond it 429 with Retry-After 1).
 * DynamoDB Local in memory; examples/company.yaml imported and 200 digest settings written to the
 * directory partition with the store's item shape (functions/store/directory.ts digestItem), all
 * due (Mondays 09:00 New York, run at 09:30). One runDigest: total time and Web API calls by
 * method; posts must be exactly 200 (one per channel), 429s are waited out, never posted twice.
 */

import { LogLevel } from '@slack/web-api';
import { digestSlackClient, runDigest } from '../functions/jobs/digest';
import type { DigestSources } from '../functions/jobs/digest-content';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createDb } from '../functions/store/client';
import { BatchWriteCommand } from '../functions/store/commands';
import { digestItem } from '../functions/store/directory';
import { ensureTable } from '../functions/store/table';
import { importExample } from '../tests/support/company';
import { FakeSlack } from '../tests/support/fake-slack';
import type { BenchResult } from './types';

const CHANNELS = 200;
const PER_SECOND = 50;
const NOW = new Date('2026-11-30T14:30:00Z'); // Monday 09:30 in New York

const sources: DigestSources = {
  tipsForWeek: async () => ({
    internal: {
      id: 't1',
      kind: 'internal',
      title: 'Say when',
      body: 'Give a time, not "soon".',
      tryThisWeek: 'Put a time on every reply.',
    },
    customer: {
      id: 't2',
      kind: 'customer',
      title: 'Ask early',
      body: 'File before it is urgent.',
      tryThisWeek: 'File one request a day early.',
    },
  }),
  kudosOfWeek: async () => ({
    byDepartment: { it: 2 },
    messages: [
      { giver: 'U0FINMEM1', recipients: ['U0ITMEM01'], message: 'Thanks for the laptop', values: ['care'], at: 1 },
    ],
  }),
};

export async function run(): Promise<BenchResult[]> {
  const dynamo = await startDynamoLocal();
  const fake = await FakeSlack.start();
  const db = createDb({ table: 'kept-digest-bench', endpoint: dynamo.endpoint });
  try {
    await ensureTable(db);
    await importExample(db, new Date('2026-11-01T00:00:00Z'));
    const items = Array.from({ length: CHANNELS - 1 }, (_, i) =>
      digestItem({
        channel: `C0DIG${String(i + 1).padStart(4, '0')}`,
        weekday: 'mon',
        time: '09:00',
        timezone: 'America/New_York',
      }),
    );
    for (let i = 0; i < items.length; i += 25) {
      await db.doc.send(
        new BatchWriteCommand({
          RequestItems: { [db.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
    fake.limit('chat.postMessage', { perSecond: PER_SECOND, burst: PER_SECOND });
    const slack = digestSlackClient(
      { SLACK_API_URL: fake.url, SLACK_BOT_TOKEN: 'xoxb-bench' },
      { logLevel: LogLevel.ERROR },
    );

    const started = performance.now();
    const result = await runDigest({ db, slack, sources }, NOW);
    const ms = Math.round(performance.now() - started);

    const byMethod: Record<string, number> = {};
    for (const c of fake.calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
    const limited = fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'rate_limited').length;
    const perChannel = new Set(posts.map((c) => String(c.args.channel)));
    process.stderr.write(`  ${result.posted} posted, ${result.failed} failed; calls ${JSON.stringify(byMethod)}\n`);
    const onePerChannel = posts.length === CHANNELS && perChannel.size === CHANNELS && result.posted === CHANNELS;
    return [
      {
        name: 'digest_fanout_200_channels_time',
        value: ms,
        unit: 'ms',
        budget: '< 240000 (the run budget)',
        ok: ms < 240_000,
      },
      {
        name: 'digest_fanout_200_channels_posts',
        value: posts.length,
        unit: 'posts',
        budget: '= 200, one per channel',
        ok: onePerChannel,
      },
      { name: 'digest_fanout_200_channels_calls', value: fake.calls.length, unit: 'calls' },
      { name: 'digest_fanout_200_channels_rate_limited', value: limited, unit: '429s' },
    ];
  } finally {
    await fake.stop();
    db.raw.destroy();
    await dynamo.stop();
  }
}
