/**
 * A fake Slack Web API of our own: the app's outbound calls go here (SLACK_API_URL), it
 * records them and answers with Slack's real response shapes. The tests drive Kept against it,
 * and the playground (functions/local/playground) shows what it holds: every conversation's
 * messages as Kept last left them (updates and deletions applied), ephemeral replies, each
 * person's App Home and open modals. It can be told to answer a
 * method with 429 + Retry-After, an error, or not at all, or go through an outage where every
 * call fails in turn (`outage`, `recover`).
 *
 * File uploads follow @slack/web-api's `files.uploadV2` (dist/file-upload.js, WebClient.js):
 * `files.getUploadURLExternal` (filename, length) per file answers an upload URL on this server,
 * `<origin>/upload/<file id>`; the client POSTs each file there as multipart/form-data (one part,
 * `body`) and wants HTTP 200; then one `files.completeUploadExternal` (files: [{ id, title }],
 * channel_id, initial_comment) shares them all in one message.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findRoot } from './dynamodb-local';

export interface RecordedCall {
  method: string;
  /** Parsed arguments: form fields (JSON values decoded) or a JSON body. */
  args: Record<string, unknown>;
  authorization?: string;
  /** How the fake answered: `ok`, `rate_limited`, `error`, `http_error` or `hang`. */
  outcome?: string;
  /** For a POST to an upload URL (method `upload/<file id>`): what arrived. */
  upload?: RecordedUpload;
}

export interface RecordedUpload {
  /** Bytes of the whole request body (multipart framing included). */
  rawLength: number;
  /** The file's bytes: the multipart part's content, or the raw body when it is not multipart. */
  length: number;
  /** The file's first bytes (up to 64), e.g. to check PNG magic bytes. */
  head: Buffer;
  /** The file's bytes. */
  content: Buffer;
  /** The multipart part's filename, when it has one. */
  filename?: string;
}

/** What `files.getUploadURLExternal` was told about a file. */
export interface PendingFile {
  id: string;
  filename: string;
  length: number;
}

/** A message `chat.postMessage` posted, as `conversations.history` gives it back. */
export interface PostedMessage {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: unknown;
  /** When it arrived (ms); `conversations.history`'s `oldest` is compared with this (fake ts are not clock times). */
  at: number;
  /** A person's message put there by a test (`seedMessage`); Kept's own posts have none. */
  user?: string;
  /** For a reply (seeded, or posted by Kept with `thread_ts`): the thread it is in. */
  threadTs?: string;
  /** The message's Block Kit, as last posted or updated. */
  blocks?: unknown;
  /** Changed by `chat.update` (or a response_url's replace_original) since it was posted. */
  edited?: boolean;
  /** Taken away by `chat.delete` (or a response_url's delete_original). */
  deleted?: boolean;
}

/** A message only one person sees: `chat.postEphemeral`, or a response_url's (ephemeral) reply. */
export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: unknown;
  blocks?: unknown;
  at: number;
}

/** Where a response_url handed out by the playground leads: a person, a conversation, and the message clicked, if any. */
export interface ResponseContext {
  user: string;
  channel: string;
  messageTs?: string;
}

/** The conversation a message to `channel` lands in: a person's ID names the DM with them (`D…`). */
export function conversationOf(channel: string): string {
  return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel.slice(1)}` : channel;
}

/** A token bucket per method: `burst` calls at once, refilled at `perSecond`; beyond it, 429 with Retry-After 1. */
interface Bucket {
  perSecond: number;
  burst: number;
  tokens: number;
  refilledAt: number;
}

/** How the fake can fail a call: 429 with Retry-After, `ok: false`, an HTTP status, or no answer at all. */
export type Fault =
  | { kind: 'rate_limited'; retryAfter: number }
  | { kind: 'error'; error: string }
  | { kind: 'http_error'; status: number }
  | { kind: 'hang' };

type Behaviour = Fault & { times: number; after?: number };

let tsCounter = 0;
let hashCounter = 0;
const nextTs = () => `${1_780_000_000 + Math.floor(tsCounter / 1000)}.${String(++tsCounter).padStart(6, '0')}`;

/** How long Slack accepts a trigger_id after the click. */
export const TRIGGER_LIFETIME_MS = 3_000;

export const BOT = { teamId: 'T0KEPT0001', userId: 'U0KEPTBOT1', botId: 'B0KEPTBOT1' } as const;

let fileCounter = 0;

function defaultAnswer(method: string, args: Record<string, unknown>, fake: FakeSlack): Record<string, unknown> {
  // As strict as Slack about Block Kit: blocks over its limits are refused, and nothing is posted.
  if (['chat.postMessage', 'chat.update', 'chat.postEphemeral'].includes(method)) {
    const problem = blockKitProblem(parseMaybe(args.blocks), 'message');
    if (problem) return { ok: false, error: 'invalid_blocks', response_metadata: { messages: [`[ERROR] ${problem}`] } };
    if (String(args.text ?? '').length > 40_000) return { ok: false, error: 'msg_too_long' };
  }
  if (method.startsWith('views.')) {
    const view = parseMaybe(args.view) as { blocks?: unknown; title?: { text?: unknown } } | undefined;
    const problem =
      blockKitProblem(view?.blocks, 'view') ??
      (String(view?.title?.text ?? '').length > 24
        ? 'must be less than 25 characters [json-pointer:/view/title/text]'
        : undefined);
    if (problem)
      return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${problem}`] } };
  }
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://kept-test.slack.com/',
        team: 'Kept Test',
        user: 'kept',
        team_id: BOT.teamId,
        user_id: BOT.userId,
        bot_id: BOT.botId,
        is_enterprise_install: false,
      };
    case 'chat.postMessage': {
      const ts = nextTs();
      fake.posted.push({
        channel: String(args.channel),
        ts,
        text: args.text,
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        ...(args.blocks !== undefined ? { blocks: parseMaybe(args.blocks) } : {}),
        ...(args.thread_ts !== undefined ? { threadTs: String(args.thread_ts) } : {}),
        at: Date.now(),
      });
      // As Slack does, a post to a person's ID lands in (and names) the DM channel with them.
      const channel = /^[UW][A-Z0-9]+$/.test(String(args.channel)) ? `D${String(args.channel).slice(1)}` : args.channel;
      return {
        ok: true,
        channel,
        ts,
        message: { type: 'message', text: args.text, user: BOT.userId, bot_id: BOT.botId, ts },
      };
    }
    case 'conversations.history': {
      // Newest first, since `oldest` (seconds), `limit` per page (default 100), `cursor` = offset.
      // `latest` (a ts, with `inclusive`) reads back one message by its ts; replies are not in history.
      const oldest = args.oldest === undefined ? 0 : Number(args.oldest) * 1000;
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      const inclusive = args.inclusive === true || args.inclusive === 'true';
      const all = fake.posted
        .filter(
          (m) => conversationOf(m.channel) === conversationOf(String(args.channel)) && m.at >= oldest && !m.threadTs,
        )
        .filter((m) => (inclusive ? Number(m.ts) <= latest : Number(m.ts) < latest))
        .reverse();
      const limit = Number(args.limit ?? 100);
      const offset = Number(args.cursor ?? 0);
      const page = all.slice(offset, offset + limit);
      const more = offset + limit < all.length;
      const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
      return {
        ok: true,
        messages: page.map((m) => ({
          type: 'message',
          user: m.user ?? BOT.userId,
          ...(m.user ? {} : { bot_id: BOT.botId }),
          ts: m.ts,
          text: m.text,
          ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
          ...(withMeta && m.metadata !== undefined ? { metadata: m.metadata } : {}),
        })),
        has_more: more,
        response_metadata: { next_cursor: more ? String(offset + limit) : '' },
      };
    }
    case 'conversations.replies': {
      // The thread's parent first, then its replies; `ts` may name the parent or any reply in it.
      const inChannel = fake.posted.filter((m) => m.channel === String(args.channel));
      const named = inChannel.find((m) => m.ts === String(args.ts));
      if (!named) return { ok: false, error: 'thread_not_found' };
      const parent = named.threadTs ?? named.ts;
      const thread = inChannel.filter((m) => m.ts === parent || m.threadTs === parent);
      return {
        ok: true,
        messages: thread.map((m) => ({ type: 'message', user: m.user ?? BOT.userId, ts: m.ts, text: m.text })),
        has_more: false,
      };
    }
    case 'chat.postEphemeral': {
      const ts = nextTs();
      fake.ephemerals.push({
        channel: conversationOf(String(args.channel)),
        user: String(args.user),
        ts,
        text: args.text,
        ...(args.blocks !== undefined ? { blocks: parseMaybe(args.blocks) } : {}),
        at: Date.now(),
      });
      return { ok: true, message_ts: ts };
    }
    case 'chat.getPermalink':
      return {
        ok: true,
        channel: args.channel,
        permalink: `https://kept-test.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
      };
    case 'chat.update':
      // Slack wants the DM channel's ID here, not the person's (as it names it in chat.postMessage's answer).
      if (/^[UW]/.test(String(args.channel))) return { ok: false, error: 'channel_not_found' };
      fake.updateMessage(String(args.ts), {
        text: args.text,
        ...(args.blocks !== undefined ? { blocks: parseMaybe(args.blocks) } : {}),
      });
      return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
    case 'chat.delete':
      if (/^[UW]/.test(String(args.channel))) return { ok: false, error: 'channel_not_found' };
      fake.deleteMessage(String(args.ts));
      return { ok: true, channel: args.channel, ts: args.ts };
    case 'views.open':
    case 'views.push': {
      // As Slack: a trigger lasts 3 seconds from the click (the tests' triggers begin with its time).
      const issued = /^(\d{13})\./.exec(String(args.trigger_id ?? ''));
      if (!issued) return { ok: false, error: 'invalid_trigger_id' };
      if (Date.now() - Number(issued[1]) > TRIGGER_LIFETIME_MS) return { ok: false, error: 'expired_trigger_id' };
      const answer = fake.openView(
        parseMaybe(args.view) as object,
        undefined,
        method === 'views.open' ? 'open' : 'other',
      );
      fake.showModal(String(args.trigger_id), answer.view as Record<string, unknown>, method === 'views.push');
      return answer;
    }
    case 'views.update': {
      // Slack keeps the view's id and refuses a stale hash (someone updated it in between).
      const id = String(args.view_id ?? '');
      const known = fake.viewHashes.get(id);
      if (known !== undefined && args.hash !== undefined && String(args.hash) !== known)
        return { ok: false, error: 'hash_conflict' };
      return fake.openView(parseMaybe(args.view) as object, id || undefined, 'update');
    }
    case 'views.publish': {
      const answer = fake.openView(parseMaybe(args.view) as object);
      fake.homes.set(String(args.user_id), answer.view as Record<string, unknown>);
      return answer;
    }
    case 'conversations.open':
      return { ok: true, channel: { id: `D${String(args.users ?? 'X').replace(/,/g, '')}` } };
    case 'users.info':
      return {
        ok: true,
        user: {
          id: args.user,
          name: String(args.user).toLowerCase(),
          tz: 'America/New_York',
          tz_offset: -18000,
          is_bot: false,
          deleted: false,
          ...fake.users.get(String(args.user)),
        },
      };
    case 'files.getUploadURLExternal': {
      const id = `F${String(++fileCounter).padStart(9, '0')}`;
      fake.files.set(id, { id, filename: String(args.filename), length: Number(args.length) });
      return { ok: true, upload_url: fake.uploadUrl(id), file_id: id };
    }
    case 'files.completeUploadExternal': {
      const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
      return {
        ok: true,
        files: files.map((f) => ({ id: f.id, title: f.title ?? fake.files.get(f.id)?.filename ?? '' })),
      };
    }
    default:
      return { ok: true };
  }
}

/**
 * Slack's Block Kit limits (api.slack.com/reference/block-kit): what it refuses. Returns the first
 * limit `blocks` pass, worded like Slack's `response_metadata.messages`, or undefined.
 */
export function blockKitProblem(blocks: unknown, surface: 'message' | 'view'): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks must be a list';
  const most = surface === 'message' ? 50 : 100;
  if (blocks.length > most) return `no more than ${most} items allowed [json-pointer:/blocks]`;
  const long = (text: unknown, max: number) =>
    typeof (text as { text?: unknown } | undefined)?.text === 'string' && (text as { text: string }).text.length > max;
  for (const [i, raw] of blocks.entries()) {
    const b = raw as {
      type?: string;
      text?: unknown;
      fields?: unknown[];
      elements?: { type?: string; options?: unknown[]; text?: unknown }[];
      element?: { options?: unknown[]; option_groups?: unknown[] };
      label?: unknown;
    };
    const at = `[json-pointer:/blocks/${i}]`;
    if (b.type === 'section' && long(b.text, 3000)) return `must be less than 3001 characters ${at}/text`;
    if (b.type === 'section' && (b.fields?.length ?? 0) > 10) return `no more than 10 items allowed ${at}/fields`;
    if (b.type === 'section' && b.fields?.some((f) => long(f, 2000)))
      return `must be less than 2001 characters ${at}/fields`;
    if (b.type === 'header' && long(b.text, 150)) return `must be less than 151 characters ${at}/text`;
    if (b.type === 'actions' && (b.elements?.length ?? 0) > 25) return `no more than 25 items allowed ${at}/elements`;
    if (b.type === 'context' && (b.elements?.length ?? 0) > 10) return `no more than 10 items allowed ${at}/elements`;
    if (b.type === 'input' && long(b.label, 2000)) return `must be less than 2001 characters ${at}/label`;
    for (const e of [...(b.elements ?? []), ...(b.element ? [b.element] : [])]) {
      const options = (e as { options?: unknown[] }).options ?? [];
      if (options.length > 100) return `no more than 100 items allowed ${at}/element/options`;
      if (options.some((o) => long((o as { text?: unknown }).text, 75)))
        return `must be less than 76 characters ${at}/element/options/text`;
      if (((e as { option_groups?: unknown[] }).option_groups?.length ?? 0) > 100)
        return `no more than 100 items allowed ${at}/element/option_groups`;
    }
  }
  return undefined;
}

function parseMaybe(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The upload's file: the first multipart part (web-api sends one, named `body`), or the raw body. */
function readUpload(req: IncomingMessage, raw: Buffer): RecordedUpload {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
  const whole = (bytes: Buffer, filename?: string): RecordedUpload => ({
    rawLength: raw.length,
    length: bytes.length,
    head: Buffer.from(bytes.subarray(0, 64)),
    content: Buffer.from(bytes),
    ...(filename ? { filename } : {}),
  });
  if (!(req.headers['content-type'] ?? '').startsWith('multipart/form-data') || !boundary) return whole(raw);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = raw.indexOf(delimiter);
  const headersEnd = raw.indexOf('\r\n\r\n', start);
  const end = raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd);
  if (start < 0 || headersEnd < 0 || end < 0) return whole(raw);
  const headers = raw.subarray(start, headersEnd).toString('utf8');
  return whole(raw.subarray(headersEnd + 4, end), /filename="([^"]*)"/.exec(headers)?.[1]);
}

function parseArgs(req: IncomingMessage, body: Buffer): Record<string, unknown> {
  const raw = body.toString('utf8');
  if (!raw) return {};
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return JSON.parse(raw) as Record<string, unknown>;
  // Message timestamps stay text, as Slack keeps them ("…000010" is not the number …00001).
  return Object.fromEntries(
    [...new URLSearchParams(raw)].map(([k, v]) => [k, k === 'ts' || k.endsWith('_ts') ? v : parseMaybe(v)]),
  );
}

/**
 * The bot scopes the app's manifest grants: what a real workspace would give Kept's token. The
 * manifest is found from the repository root, so this also loads in the bundled bench (build/run).
 */
const GRANTED_SCOPES: ReadonlySet<string> = new Set(
  (
    parseYaml(readFileSync(path.join(findRoot(), 'manifest.yaml'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
    }
  ).oauth_config.scopes.bot,
);

/**
 * The Web API methods the fake answers, each with the bot scopes of which Slack needs one (from
 * each method's page on api.slack.com). A method missing here is answered `unknown_method`.
 */
const METHOD_SCOPES: Record<string, readonly string[]> = {
  'auth.test': [],
  'chat.delete': ['chat:write'],
  'chat.getPermalink': [],
  'chat.postEphemeral': ['chat:write'],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.open': ['im:write', 'mpim:write'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'files.completeUploadExternal': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'views.publish': [],
  'views.push': [],
  'views.update': [],
};

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  private behaviours = new Map<string, Behaviour>();
  private buckets = new Map<string, Bucket>();
  /** Messages posted with `chat.postMessage` (answered ok), oldest first. */
  readonly posted: PostedMessage[] = [];
  private hung: Array<() => void> = [];
  private outageSteps: readonly (Fault | { kind: 'ok' })[] | undefined;
  private outageCalls = 0;
  private usergroups = new Map<string, string[]>();
  private waiters: Array<{ method: string; count: number; resolve: () => void }> = [];
  /** What `users.info` answers beyond the defaults, by user (see setUser). */
  readonly users = new Map<string, { tz?: string; is_bot?: boolean; real_name?: string }>();
  /** Ephemeral messages, oldest first. */
  readonly ephemerals: EphemeralMessage[] = [];
  /** Reactions people added in the playground: by message ts, by emoji, who. */
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  /** Each person's App Home, as Kept last published it. */
  readonly homes = new Map<string, Record<string, unknown>>();
  /** The modals open for each person, bottom first (views.open, views.push; views.update changes one in place). */
  readonly modalStacks = new Map<string, { id: string; view: Record<string, unknown> }[]>();
  /** Who each trigger_id the playground handed out belongs to. */
  private readonly triggers = new Map<string, string>();
  /** Where each response_url the playground handed out leads (by the URL's id). */
  private readonly responses = new Map<string, ResponseContext>();
  /** Files announced with `files.getUploadURLExternal`, by id. */
  readonly files = new Map<string, PendingFile>();
  private server: Server;
  url = '';

  /** Each view's current hash, by view id (views.open/update), for views.update's hash check. */
  readonly viewHashes = new Map<string, string>();

  private readonly modalsOpened: Array<{ id: string; view: Record<string, unknown> }> = [];

  /** Answers a views.* call: the view with its id (new, or the one updated) and a fresh hash. */
  openView(view: object, id?: string, modal: 'open' | 'update' | 'other' = 'other'): Record<string, unknown> {
    const viewId = id ?? `V${String(++tsCounter).padStart(9, '0')}`;
    const hash = `${Date.now()}.h${++hashCounter}`;
    this.viewHashes.set(viewId, hash);
    if (modal === 'open') this.modalsOpened.push({ id: viewId, view: view as Record<string, unknown> });
    if (modal === 'update') {
      for (const shown of this.modalsOpened) if (shown.id === viewId) shown.view = view as Record<string, unknown>;
      for (const stack of this.modalStacks.values())
        for (const shown of stack) if (shown.id === viewId) shown.view = { ...view, id: viewId, hash };
    }
    return { ok: true, view: { id: viewId, hash, team_id: BOT.teamId, ...view } };
  }

  /** Every modal Kept opened, in order, as it reads now (after any views.update). */
  modals(): Record<string, unknown>[] {
    return this.modalsOpened.map((m) => m.view);
  }

  /** The modal Kept opened last, as it reads now. */
  lastModal(): Record<string, unknown> {
    const last = this.modalsOpened.at(-1);
    if (!last) throw new Error('Kept opened no modal');
    return last.view;
  }

  private constructor() {
    this.server = createServer((req, res) => {
      void (async () => {
        const method = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, '').replace(/^\//, '');
        const body = await readBody(req);
        const isUpload = method.startsWith('upload/');
        const args = isUpload ? {} : parseArgs(req, body);
        const call: RecordedCall = {
          method,
          args,
          authorization: req.headers.authorization,
          outcome: 'ok',
          ...(isUpload ? { upload: readUpload(req, body) } : {}),
        };
        this.calls.push(call);
        this.waiters = this.waiters.filter((w) => {
          if (this.callsTo(w.method).length < w.count) return true;
          w.resolve();
          return false;
        });
        // As strict as Slack about scopes: a method the manifest grants no scope for is refused.
        const needed = isUpload || method.startsWith('response/') ? [] : METHOD_SCOPES[method];
        if (needed === undefined || (needed.length > 0 && !needed.some((scope) => GRANTED_SCOPES.has(scope)))) {
          call.outcome = 'error';
          res.writeHead(200, { 'content-type': 'application/json' });
          const error = needed === undefined ? 'unknown_method' : 'missing_scope';
          res.end(
            JSON.stringify({ ok: false, error, needed: needed?.join(','), provided: [...GRANTED_SCOPES].join(',') }),
          );
          return;
        }
        // Upload URLs differ per file: `upload` as the method name sets the behaviour of all of them.
        const b = this.behaviours.get(method) ?? (isUpload ? this.behaviours.get('upload') : undefined);
        if (this.overLimit(method)) {
          call.outcome = 'rate_limited';
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        const outageStep = this.outageSteps?.[this.outageCalls++ % this.outageSteps.length];
        if (outageStep && outageStep.kind !== 'ok') {
          call.outcome = outageStep.kind;
          this.answerFault(res, outageStep);
          return;
        }
        if (b && b.kind === 'rate_limited' && b.after !== undefined && b.after > 0) {
          b.after -= 1; // answered normally until `after` calls have gone by
        } else if (b && b.times > 0) {
          b.times -= 1;
          call.outcome = b.kind;
          this.answerFault(res, b);
          return;
        }
        if (isUpload) {
          // Slack's upload endpoint answers 200 with a line of text.
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`OK - ${call.upload?.length ?? 0}`);
          return;
        }
        if (method.startsWith('response/')) this.respondTo(method.slice('response/'.length), args);
        res.writeHead(200, { 'content-type': 'application/json' });
        if (method === 'usergroups.users.list') {
          const users = this.usergroups.get(String(args.usergroup));
          res.end(JSON.stringify(users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' }));
          return;
        }
        res.end(JSON.stringify(defaultAnswer(method, args, this)));
      })();
    });
  }

  private answerFault(res: ServerResponse, fault: Fault): void {
    if (fault.kind === 'hang') {
      this.hung.push(() => res.destroy());
      return;
    }
    if (fault.kind === 'rate_limited') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (fault.kind === 'http_error') {
      res.writeHead(fault.status);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error: fault.error }));
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/api/`;
    return fake;
  }

  /** Calls to one Web API method (or response_url posts, method `response/<id>`; uploads, `upload/<file id>`). */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** POSTs to upload URLs (method `upload/<file id>`), in arrival order. */
  uploads(): RecordedCall[] {
    return this.calls.filter((c) => c.method.startsWith('upload/'));
  }

  /** The upload URL `files.getUploadURLExternal` hands out for a file. */
  uploadUrl(fileId: string): string {
    return this.url.replace(/api\/$/, `upload/${fileId}`);
  }

  /** Answers `method` with 429 + Retry-After `times` times, after `after` calls answered normally. */
  rateLimit(method: string, retryAfterSeconds: number, times = 1, after = 0): void {
    this.behaviours.set(method, { kind: 'rate_limited', retryAfter: retryAfterSeconds, times, after });
  }

  /** A per-method rate limit like Slack's: a token bucket; a call beyond it gets 429 with Retry-After 1. */
  limit(method: string, { perSecond, burst = perSecond }: { perSecond: number; burst?: number }): void {
    this.buckets.set(method, { perSecond, burst, tokens: burst, refilledAt: Date.now() });
  }

  private overLimit(method: string): boolean {
    const bucket = this.buckets.get(method);
    if (!bucket) return false;
    const now = Date.now();
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * bucket.perSecond);
    bucket.refilledAt = now;
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }

  /**
   * An outage of the whole API (uploads too) until `recover()`: each call, whatever its method, is
   * answered with the next of `steps` in turn (`{ kind: 'ok' }` lets one through as usual), so a
   * brownout can fail most calls and let some through. It comes before any per-method behaviour.
   */
  outage(steps: readonly (Fault | { kind: 'ok' })[]): void {
    if (steps.length === 0) throw new Error('an outage needs at least one step');
    this.outageSteps = steps;
    this.outageCalls = 0;
  }

  /** The outage is over: calls are answered as before it. */
  recover(): void {
    this.outageSteps = undefined;
  }

  failWith(method: string, error: string, times = 1): void {
    this.behaviours.set(method, { kind: 'error', error, times });
  }

  httpError(method: string, status: number, times = 1): void {
    this.behaviours.set(method, { kind: 'http_error', status, times });
  }

  hang(method: string, times = 1): void {
    this.behaviours.set(method, { kind: 'hang', times });
  }

  /** A person's message in a channel (or a reply in a thread), as `conversations.history` / `.replies` give it back. */
  seedMessage(message: { channel: string; ts: string; user: string; text: string; threadTs?: string }): void {
    this.posted.push({ ...message, at: Date.now() });
  }

  /** A URL on the fake that records what Bolt's respond() posts (use as response_url). */
  responseUrl(id: string): string {
    return this.url.replace(/api\/$/, `response/${id}`);
  }

  /** What `users.info` says about `user`: their time zone (default America/New_York) and whether they are a bot. */
  setUser(user: string, info: { tz?: string; is_bot?: boolean; real_name?: string }): void {
    this.users.set(user, { ...this.users.get(user), ...info });
  }

  /** What `usergroups.users.list` answers for `usergroup` (unknown groups get `no_such_subteam`). */
  setUsergroup(usergroup: string, users: string[]): void {
    this.usergroups.set(usergroup, users);
  }

  /**
   * Resolves once `count` calls to `method` have been recorded: for work Kept does after it
   * has answered Slack. Rejects after `timeoutMs` with what was called instead.
   */
  waitFor(method: string, count = 1, timeoutMs = 5_000): Promise<RecordedCall[]> {
    if (this.callsTo(method).length >= count) return Promise.resolve(this.callsTo(method));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `waited for ${count} ${method} call(s); saw ${this.calls.map((c) => c.method).join(', ') || 'none'}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        method,
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.callsTo(method));
        },
      });
    });
  }

  /** A trigger_id for `user`'s click or command, fresh for TRIGGER_LIFETIME_MS: a modal it opens is theirs. */
  issueTrigger(user: string): string {
    const trigger = `${Date.now()}.${++tsCounter}.${user}`;
    this.triggers.set(trigger, user);
    return trigger;
  }

  /** Puts a modal opened with `trigger` on its person's stack (a push goes on top; an open replaces the stack). */
  showModal(trigger: string, view: Record<string, unknown>, push: boolean): void {
    const user = this.triggers.get(trigger);
    if (!user) return;
    const stack = push ? (this.modalStacks.get(user) ?? []) : [];
    stack.push({ id: String(view.id), view });
    this.modalStacks.set(user, stack);
  }

  /** `user` closed their top modal (or Kept's answer closed it: `all` closes every one). */
  closeModal(user: string, all = false): void {
    const stack = this.modalStacks.get(user) ?? [];
    if (all) stack.length = 0;
    else stack.pop();
    if (stack.length === 0) this.modalStacks.delete(user);
  }

  /** A response_url that leads back to `context`: what Kept posts there shows in that conversation. */
  responseUrlFor(context: ResponseContext): string {
    const id = `pg${++tsCounter}`;
    this.responses.set(id, context);
    return this.responseUrl(id);
  }

  /** Applies a post to a playground response_url, as Slack does: a reply only the person sees, or a change to the message clicked. */
  private respondTo(id: string, args: Record<string, unknown>): void {
    const context = this.responses.get(id);
    if (!context) return;
    const blocks = args.blocks !== undefined ? { blocks: parseMaybe(args.blocks) } : {};
    if (args.delete_original === true && context.messageTs) {
      this.deleteMessage(context.messageTs);
      return;
    }
    if (args.replace_original === true && context.messageTs) {
      this.updateMessage(context.messageTs, { text: args.text, ...blocks });
      return;
    }
    if (args.response_type === 'in_channel') {
      this.posted.push({ channel: context.channel, ts: nextTs(), text: args.text, ...blocks, at: Date.now() });
      return;
    }
    this.ephemerals.push({
      channel: context.channel,
      user: context.user,
      ts: nextTs(),
      text: args.text,
      ...blocks,
      at: Date.now(),
    });
  }

  /** A message as it reads now: `chat.update` applied. */
  updateMessage(ts: string, change: { text?: unknown; blocks?: unknown }): void {
    const message = this.posted.find((m) => m.ts === ts);
    if (!message) return;
    if (change.text !== undefined) message.text = change.text;
    if (change.blocks !== undefined) message.blocks = change.blocks;
    else if (change.text !== undefined) delete message.blocks;
    message.edited = true;
  }

  /** Marks the message deleted (the tests still find what was posted; the playground no longer shows it). */
  deleteMessage(ts: string): void {
    const message = this.posted.find((m) => m.ts === ts);
    if (message) message.deleted = true;
  }

  /** A person's message, as the playground posts it for them (a reply when `threadTs` is given). */
  postAs(user: string, channel: string, text: string, threadTs?: string): PostedMessage {
    const message: PostedMessage = {
      channel,
      ts: nextTs(),
      text,
      user,
      ...(threadTs ? { threadTs } : {}),
      at: Date.now(),
    };
    this.posted.push(message);
    return message;
  }

  reset(): void {
    this.calls.length = 0;
    this.posted.length = 0;
    this.ephemerals.length = 0;
    this.homes.clear();
    this.modalStacks.clear();
    this.reactions.clear();
    this.behaviours.clear();
    this.buckets.clear();
    this.outageSteps = undefined;
    this.files.clear();
    this.modalsOpened.length = 0;
    this.viewHashes.clear();
  }

  async stop(): Promise<void> {
    for (const end of this.hung) end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
