/**
 * The weekly digest, run every 15 minutes by the schedule and by `kept digest [--now ISO]`. Each
 * digest channel (the `digest` section of the import file) has its own weekday, time and time
 * zone; a run posts to every channel whose local weekday and time have come in its current ISO
 * week and that has not had this week's digest yet, so a late or missed run is caught up within
 * the week (docs/decisions.md). What a digest says is built in digest-content.ts.
 *
 * At most one digest per channel and ISO week, whatever happens (functions/store/digests.ts):
 * claim with a lease -> post (with message metadata `kept_digest` {week}) -> remember the ts. A
 * claim left behind by a run that died mid-post is resolved by looking for that message in the
 * channel before posting again. Channels are posted one after another; a 429 is waited out
 * (Retry-After) and the same channel tried again; a channel that fails is tried by the next run.
 * A run stops taking channels after DIGEST_BUDGET_MS (the Lambda times out at 300 s).
 *
 * Once a digest is posted and marked posted, and the last 8 weeks have enough data
 * (functions/domain/digest-trend.ts), a `digest.chart` work item goes through the outbox: the worker
 * renders the compliance trend and uploads it into the digest's thread, once per channel and week
 * (functions/slack/digest-chart.ts). This Lambda leaves the chart libraries out.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type WebClient, type WebClientOptions } from '@slack/web-api';
import { DateTime } from 'luxon';
import type { Config } from '../config';
import { WEEKDAYS } from '../domain/calendar-spec';
import type { DigestSettings } from '../domain/directory';
import { isoWeekOf } from '../domain/weeks';
import { logger } from '../log';
import type { SlackMessage } from '../slack/views/blocks';
import { plural } from '../slack/views/format';
import { createSlackClient } from '../slack/web-client';
import type { Db } from '../store/client';
import { claimDigest, DIGEST_LEASE_MS, markDigestPosted, releaseDigest } from '../store/digests';
import { readDirectory } from '../store/directory';
import { ContentCache, type DigestSources, storeSources } from './digest-content';
import type { JobDeps } from './scan';

export interface DigestDeps extends JobDeps {
  sources?: DigestSources;
  /** Real time in ms, for leases and the time budget (tests move it on). */
  clock?: () => number;
  budgetMs?: number;
}

export interface DigestResult {
  now: string;
  /** Channels that got this week's digest in this run. */
  posted: number;
  /** Channels that already had it (posted by an earlier run, or found in the channel after a crash). */
  already: number;
  /** Channels that failed; the next run tries them again. */
  failed: number;
  /** Channels another run is posting to right now. */
  busy: number;
  /** Due channels left for the next run because the time budget ran out. */
  left: number;
}

/** The message metadata that marks a digest, so a run can find one after a crash. */
export const DIGEST_EVENT_TYPE = 'kept_digest';
/** A run stops taking new channels after this long (the digest Lambda times out at 300 s). */
export const DIGEST_BUDGET_MS = 240_000;
/** conversations.history pages read when looking for a digest whose post outcome is unknown. */
const HISTORY_PAGES = 5;

/**
 * The digest's Slack client: no retries inside the library (a retried timeout could post twice)
 * and 429s handed back, so the job waits Retry-After itself and knows the post did not happen.
 */
export const DIGEST_CLIENT_OPTIONS: Partial<WebClientOptions> = {
  rejectRateLimitedCalls: true,
  retryConfig: { retries: 0 },
};

export function digestSlackClient(
  config: Pick<Config, 'SLACK_API_URL' | 'SLACK_BOT_TOKEN'>,
  overrides: Partial<WebClientOptions> = {},
): WebClient {
  return createSlackClient(config, { ...DIGEST_CLIENT_OPTIONS, ...overrides });
}

/** The ISO week (`2026-W48`, local to the channel) whose digest is due at `now`, or null while this week's time has not come. */
export function dueWeek(settings: Pick<DigestSettings, 'weekday' | 'time' | 'timezone'>, now: number): string | null {
  const local = DateTime.fromMillis(now, { zone: settings.timezone });
  const [hour, minute] = settings.time.split(':').map(Number);
  if (!local.isValid || hour === undefined || minute === undefined) return null;
  const at = DateTime.fromObject(
    {
      weekYear: local.weekYear,
      weekNumber: local.weekNumber,
      weekday: (WEEKDAYS.indexOf(settings.weekday) + 1) as 1,
      hour,
      minute,
    },
    { zone: settings.timezone },
  );
  return at.isValid && at.toMillis() <= now ? isoWeekOf(local) : null;
}

export async function runDigest(deps: DigestDeps, now: Date): Promise<DigestResult> {
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const budget = deps.budgetMs ?? DIGEST_BUDGET_MS;
  const result: DigestResult = { now: now.toISOString(), posted: 0, already: 0, failed: 0, busy: 0, left: 0 };
  const dir = await readDirectory(deps.db);
  const due = dir.digests
    .map((settings) => ({ settings, week: dueWeek(settings, now.getTime()) }))
    .filter((d): d is { settings: DigestSettings; week: string } => d.week !== null)
    .sort((a, b) => a.settings.channel.localeCompare(b.settings.channel));
  if (due.length === 0) return result;
  const slack = deps.slack;
  if (!slack) {
    logger.error('digest due but no Slack client was given; nothing posted', { channels: due.length });
    result.failed = due.length;
    deps.metrics?.count('DigestChannelFailed', result.failed);
    return result;
  }
  const content = new ContentCache(deps.db, dir, deps.sources ?? storeSources(deps.db), now.getTime());
  const owner = randomUUID();
  const run: RunContext = { db: deps.db, slack, clock, deadline: started + budget, owner };

  for (const { settings, week } of due) {
    if (clock() - started > budget) {
      result.left++;
      continue;
    }
    try {
      const { outcome, ts } = await digestChannel(run, settings, week, () => content.messageFor(settings, week));
      result[outcome]++;
      if (ts !== undefined) await sendChart(deps, content, settings, week, ts);
    } catch (err) {
      // One channel failing never stops the others; its claim is resolved by the next run.
      result.failed++;
      logger.error('digest for a channel failed', { channel: settings.channel, week, error: (err as Error).message });
    }
  }
  if (result.left > 0) logger.warn('digest stopped at its time budget; the next run goes on', { left: result.left });
  if (result.failed > 0) deps.metrics?.count('DigestChannelFailed', result.failed);
  return result;
}

/** Hands the chart to the worker when the last 8 weeks have enough data; a failure here never fails the channel. */
async function sendChart(
  deps: DigestDeps,
  content: ContentCache,
  settings: DigestSettings,
  week: string,
  threadTs: string,
): Promise<void> {
  if (!deps.outbox) return;
  const channel = settings.channel;
  try {
    const departments = await content.chartFor(settings);
    if (!departments) return;
    await deps.outbox.send({
      type: 'digest.chart',
      key: `digest-chart:${channel}:${week}`,
      channel,
      threadTs,
      week,
      departments,
    });
  } catch (err) {
    logger.warn('digest chart not handed to the worker; the digest goes without it', {
      channel,
      week,
      error: (err as Error).message,
    });
  }
}

interface RunContext {
  db: Db;
  slack: WebClient;
  clock: () => number;
  /** No new channel, and no Retry-After wait, past this instant. */
  deadline: number;
  owner: string;
  botId?: Promise<string | undefined>;
}

type ChannelOutcome = 'posted' | 'already' | 'failed' | 'busy';

/** `ts`: the digest's message, when this call posted it (or found it after a crash) and marked it posted. */
async function digestChannel(
  run: RunContext,
  settings: DigestSettings,
  week: string,
  message: () => Promise<SlackMessage>,
): Promise<{ outcome: ChannelOutcome; ts?: string }> {
  const { db, slack, clock, owner } = run;
  const channel = settings.channel;
  // Content first: nothing is claimed while the figures are read.
  const body = await message();
  const claim = await claimDigest(db, channel, week, owner, clock());
  if (claim.kind === 'posted') return { outcome: 'already' };
  if (claim.kind === 'busy') return { outcome: 'busy' };
  if (claim.kind === 'recover') {
    let ts: string | undefined;
    try {
      ts = await findDigest(run, channel, week, claim.since);
    } catch (err) {
      // Slack down or limiting: try again next run rather than risk a second digest.
      if ((err as { code?: string }).code !== ErrorCode.PlatformError) {
        logger.error('digest outcome unknown and the channel history could not be read; trying next run', {
          channel,
          week,
          error: (err as Error).message,
        });
        return { outcome: 'failed' };
      }
      // Slack refuses to show the history for good (a channel Kept posts in without being a member,
      // or a workspace that has not granted the history scopes): a second digest is better than none.
      logger.warn('digest outcome unknown and Slack will not show the history; posting again', {
        channel,
        week,
        error: (err as Error).message,
      });
    }
    if (ts) {
      // Found after a crash: the chart may not have been handed over yet (the worker sends it once).
      const marked = await markDigestPosted(db, channel, week, owner, ts, clock());
      return marked ? { outcome: 'already', ts } : { outcome: 'already' };
    }
  }
  // Retry-After is waited out only while this claim's lease stays safely ours and the run has time.
  const waitUntil = Math.min(run.deadline, clock() + DIGEST_LEASE_MS - 60_000);
  let ts: string;
  try {
    const posted = await withRetryAfter(
      () =>
        slack.chat.postMessage({
          channel,
          text: body.text,
          blocks: body.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { week } },
        }),
      waitUntil,
      clock,
    );
    ts = String(posted.ts);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === ErrorCode.PlatformError || code === ErrorCode.RateLimitedError) {
      // Slack said no: nothing was posted, so the next run may claim and post.
      await releaseDigest(db, channel, week, owner);
    }
    // Otherwise (a timeout, a 5xx) the post may have landed: the claim stays until its lease runs out,
    // and the next run looks in the channel before posting.
    throw err;
  }
  if (!(await markDigestPosted(db, channel, week, owner, ts, clock()))) {
    logger.warn('digest posted after this run lost its claim', { channel, week, ts });
    return { outcome: 'posted' };
  }
  return { outcome: 'posted', ts };
}

/** Calls `call`, waiting Retry-After on each 429 while `until` allows. */
async function withRetryAfter<T>(call: () => Promise<T>, until: number, clock: () => number): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      if (e.code !== ErrorCode.RateLimitedError || typeof e.retryAfter !== 'number') throw err;
      const waitMs = Math.max(1, e.retryAfter) * 1000;
      if (clock() + waitMs > until) throw err;
      logger.info('Slack rate limit; waiting Retry-After', { seconds: e.retryAfter });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** The ts of this week's digest, posted by Kept to `channel` since `since` (ms), if it is there. */
async function findDigest(run: RunContext, channel: string, week: string, since: number): Promise<string | undefined> {
  run.botId ??= withRetryAfter(() => run.slack.auth.test(), run.deadline, run.clock).then((a) => a.bot_id);
  const botId = await run.botId;
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const out = await withRetryAfter(
      () =>
        run.slack.conversations.history({
          channel,
          oldest: ((since - 60_000) / 1000).toFixed(6),
          include_all_metadata: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      run.deadline,
      run.clock,
    );
    for (const m of out.messages ?? []) {
      const meta = m.metadata as { event_type?: string; event_payload?: { week?: unknown } } | undefined;
      if (
        meta?.event_type === DIGEST_EVENT_TYPE &&
        meta.event_payload?.week === week &&
        (!botId || m.bot_id === botId) &&
        m.ts
      )
        return m.ts;
    }
    cursor = out.response_metadata?.next_cursor || undefined;
    if (!out.has_more || !cursor) return undefined;
  }
  return undefined;
}

export function describeDigest(r: DigestResult): string {
  const busy = r.busy > 0 ? `; ${plural(r.busy, 'channel is', 'channels are')} being posted by another run` : '';
  const left = r.left > 0 ? `; ${plural(r.left, 'channel', 'channels')} left for the next run` : '';
  return `Digest at ${r.now}: ${plural(r.posted, 'channel', 'channels')} posted, ${r.already} already had this week's, ${r.failed} failed${busy}${left}.`;
}
