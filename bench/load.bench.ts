/**
 * (h) A Monday morning: N people (50, then 200) at once against Kept's local front door, while a
 * scan runs over a backlog of open requests of which some are due.
 *
 * Kept runs in a process of its own as `npm start` runs it (bench/load-server.ts: the HTTP front
 * door, the worker's work in the same process, DynamoDB Local), with its clock fixed on a Tuesday
 * at 10:00 in New York, so every check is deterministic. The people and the fake Slack run in this
 * process. Their connections are opened before the load and kept alive, as a tunnel keeps Slack's.
 *
 * Two departments, IT and Finance, each serving the other; half the people in each. Every person
 * does, one after the other (each starting with a different one, so the kinds mix in time):
 * - files a request to the other department (the new-request modal's view submission);
 * - presses Acknowledge on one of the 5 cards of their own department's queue (a fifth of the
 *   department presses the same card at the same moment: one acknowledges, the others are told);
 * - gives a colleague a kudos with the kudos reaction (`reaction_added`);
 * - runs `/sla list`.
 * The scan starts with them, over 500 open IT requests filed this morning and 50 filed last
 * Thursday that have missed both targets (100 breaches to record). When the worker is idle, the
 * next scan runs (3 minutes later by Kept's clock, past the grace Slack gets to hear of a change):
 * what the load left undone is done then, as it would be a few minutes later in a real morning.
 *
 * Measured per kind of action and overall: the time to Slack's HTTP answer (p50, p99), and how
 * much of it passed before Kept read the request; errors (an answer that is not what Slack wants,
 * or an error reply to the person afterwards: a response_url post other than "already
 * acknowledged", an ephemeral, a "did not give kudos" DM); effects lost or doubled, counted from the
 * table and the fake Slack at the end (per filing one request, one card and one confirmation, and
 * none for a filing Slack was told failed; per shared card one acknowledgement with one thread line
 * and one DM, and one answer per press; one kudos and one DM per reaction; each breach once in the
 * history, the ledger and the card's thread); DynamoDB calls per action (the listener's, before and
 * after the answer, and the worker's for the work it handed over); transactions DynamoDB refused;
 * the CPU Kept, DynamoDB Local and this process used.
 *
 * KEPT_BENCH_LOG=INFO shows Kept's log; KEPT_BENCH_CPU_PROFILE=<dir> has Kept's process write a
 * CPU profile of the load alone (from the start of the load to the count) there.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { compileCalendar } from '../functions/domain/calendar';
import { fileRequest, requestId } from '../functions/domain/request';
import { localDayOf } from '../functions/domain/weeks';
import { type DynamoLocal, findRoot, startDynamoLocal } from '../functions/local/dynamodb-local';
import { IDS } from '../functions/slack/ids';
import { newRequestModal } from '../functions/slack/views/request-modals';
import { createDb, type Db } from '../functions/store/client';
import { ScanCommand } from '../functions/store/commands';
import { readDirectory } from '../functions/store/directory';
import { kudosOfWeek } from '../functions/store/kudos';
import { readLedger } from '../functions/store/ledger';
import { getRequestRecord, takeNumber } from '../functions/store/requests';
import { ensureTable } from '../functions/store/table';
import { importCompany } from '../tests/support/company';
import { FakeSlack, type RecordedCall } from '../tests/support/fake-slack';
import {
  buttonClick,
  eventEnvelope,
  interactivity,
  JSON_TYPE,
  slashCommand,
  stateOf,
  viewSubmission,
} from '../tests/support/slack-requests';
import type { FromKept, ToKept } from './load-server';
import { median, quantile, round } from './stats';
import { type Answer, announcedRequestItem, batchWrite, benchConfig, benchEnv, sendSigned } from './support';
import type { Bench, BenchResult } from './types';

const SIZES = (process.env.KEPT_BENCH_SIZES ?? '50,200').split(',').map(Number);
/** Cards in each department's queue that its people press at once. */
const SHARED_CARDS = 5;
const BACKLOG_OPEN = 500;
const BACKLOG_DUE = 50;
const P99_BUDGET_MS = 1_000;
/** When the scan after the load runs: past the 2 minutes Slack gets to hear of a change (ANNOUNCE_GRACE_MS). */
const NEXT_SCAN_MS = 3 * 60_000;
/** A Tuesday, 10:00 in New York: both departments at work. */
const NOW = new Date('2026-11-24T15:00:00Z');
/** Last Thursday at 10:00 in New York: both targets (2 h, 16 working hours) missed by NOW. */
const LAST_THURSDAY = Date.parse('2026-11-19T15:00:00Z');
const ZONE = 'America/New_York';
const BREACH_MONTH = '2026-11';
const IT_HEAD = 'U0ITHEAD1';
const FIN_HEAD = 'U0FINHEAD';

const KINDS = ['file', 'click', 'kudos', 'list'] as const;
type Kind = (typeof KINDS)[number];

const HOURS = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, '09:00-17:00']));
const CALENDAR = { timezone: ZONE, hours: HOURS };

/** IT and Finance, each serving the other; even people in IT, odd ones in Finance. */
function company(people: string[]) {
  return {
    departments: [
      {
        id: 'it',
        name: 'IT',
        heads: [IT_HEAD],
        members: people.filter((_, i) => i % 2 === 0),
        channel: 'C0ITQUEUE',
        prefix: 'IT',
        calendar: CALENDAR,
      },
      {
        id: 'finance',
        name: 'Finance',
        heads: [FIN_HEAD],
        members: people.filter((_, i) => i % 2 === 1),
        channel: 'C0FINQUEUE',
        prefix: 'FIN',
        calendar: CALENDAR,
      },
    ],
    agreements: [
      {
        id: 'it-for-finance',
        provider: 'it',
        customer: 'finance',
        service: 'Laptops and accounts',
        targets: { P2: { response: '2h', resolution: '16h' } },
        penalty: { unit: 'points', per_breach: 50 },
      },
      {
        id: 'finance-for-it',
        provider: 'finance',
        customer: 'it',
        service: 'Expense questions',
        targets: { P2: { response: '4h', resolution: '24h' } },
        penalty: { unit: 'points', per_breach: 10 },
      },
    ],
  };
}

/** IT's backlog, filed by Finance's head, written as the worker leaves requests once Slack has heard of them. */
async function seedBacklog(db: Db): Promise<string[]> {
  const dir = await readDirectory(db);
  const agreement = dir.agreements.find((a) => a.id === 'it-for-finance')!.active!;
  const calendar = compileCalendar(CALENDAR);
  const items: Record<string, unknown>[] = [];
  const due: string[] = [];
  for (let i = 0; i < BACKLOG_DUE + BACKLOG_OPEN; i++) {
    const number = await takeNumber(db, 'it'); // the numbers filings go on from
    // The first BACKLOG_DUE last Thursday morning; the rest this morning between 09:10 and 10:00.
    const at = i < BACKLOG_DUE ? LAST_THURSDAY - i * 60_000 : NOW.getTime() - 1_000 - ((i * 7_919_000) % 3_000_000);
    const filed = fileRequest({
      id: requestId('IT', number),
      number,
      agreement,
      customer: 'finance',
      priority: 'P2',
      title: `Backlog ${number}`,
      description: '',
      requester: FIN_HEAD,
      at,
      calendar,
    });
    if (!filed.ok) throw new Error(filed.error);
    items.push(announcedRequestItem(filed.value.request));
    if (i < BACKLOG_DUE) due.push(filed.value.request.id);
  }
  await batchWrite(db, items);
  return due;
}

/** Requests whose title starts with `prefix`: id, requester and title (a paged, consistent scan). */
async function requestsTitled(db: Db, prefix: string): Promise<{ id: string; requester: string; title: string }[]> {
  const found: { id: string; requester: string; title: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(
      new ScanCommand({
        TableName: db.table,
        ConsistentRead: true,
        FilterExpression: 'sk = :req AND begins_with(title, :prefix)',
        ExpressionAttributeValues: { ':req': 'REQ', ':prefix': prefix },
        ProjectionExpression: 'id, requester, title',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? [])
      found.push({ id: String(item.id), requester: String(item.requester), title: String(item.title) });
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Counts a thing that should have happened exactly once: 0 is lost, more than 1 doubled. */
class Effects {
  lost = 0;
  doubled = 0;
  /** Per kind of effect: how many were lost and doubled, and one example. */
  readonly byKind = new Map<string, { lost: number; doubled: number; example: string }>();

  once(kind: string, of: string, count: number): void {
    if (count === 1) return;
    const seen = this.byKind.get(kind) ?? { lost: 0, doubled: 0, example: `${of}: ${count}` };
    if (count === 0) {
      this.lost += 1;
      seen.lost += 1;
    } else {
      this.doubled += count - 1;
      seen.doubled += count - 1;
    }
    this.byKind.set(kind, seen);
  }

  describe(): string[] {
    return [...this.byKind].map(([kind, s]) => `${kind}: ${s.lost} lost, ${s.doubled} doubled (e.g. ${s.example})`);
  }
}

const mentions = (call: RecordedCall, id: string) =>
  new RegExp(`\\b${id}\\b`).test(`${String(call.args.text ?? '')}${JSON.stringify(call.args.blocks ?? '')}`);

interface Shared {
  id: string;
  channel: string;
  ts: string;
  requester: string;
}

/** How long the bench waits for Kept to answer a question over IPC before it gives up. */
const ASK_TIMEOUT_MS = 180_000;

/** Kept in its own process (bench/load-server.ts), and the questions the bench asks it. */
class Kept {
  private waiting: { type: FromKept['type']; resolve: (m: FromKept) => void; reject: (e: Error) => void }[] = [];
  /** What Kept's process wrote to stderr (Bolt's and the Web API client's own lines), counted by line. */
  private readonly stderr = new Map<string, number>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    lines: Interface,
  ) {
    child.on('message', (m: FromKept) => {
      if (m.type === 'failed') for (const w of this.waiting.splice(0)) w.reject(new Error(`Kept: ${m.error}`));
      const i = this.waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(m);
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`Kept stopped (exit code ${code})`));
    });
    lines.on('line', (line) => this.stderr.set(line, (this.stderr.get(line) ?? 0) + 1));
  }

  /** Kept's stderr lines since the last call, most frequent first, each once with its count. */
  takeStderr(): string[] {
    const lines = [...this.stderr].sort((a, b) => b[1] - a[1]).map(([line, count]) => `${count} × ${line}`);
    this.stderr.clear();
    return lines;
  }

  /** Starts bench/load-server.ts the way `npm start` starts bin/local.ts (bundled by bin/run.cjs). */
  static start(env: Record<string, string>): Promise<Kept> {
    const root = findRoot();
    const child = fork(path.join(root, 'bin', 'run.cjs'), ['bench/load-server.ts'], {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        ...(process.env.KEPT_BENCH_LOG ? { KEPT_LOG_LEVEL: process.env.KEPT_BENCH_LOG } : {}),
      },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const lines = createInterface({ input: child.stderr! });
    const early: string[] = [];
    const keep = (line: string) => early.push(line);
    lines.on('line', keep);
    return new Promise((resolve, reject) => {
      child.once('message', (m: FromKept) => {
        lines.off('line', keep);
        if (m.type === 'ready') resolve(new Kept(child, `${m.url}/slack/events`, lines));
        else reject(new Error(`Kept did not start: ${JSON.stringify(m)} ${early.join('\n')}`));
      });
      child.once('exit', (code) => reject(new Error(`Kept did not start (exit code ${code}): ${early.join('\n')}`)));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  ask<T extends FromKept['type']>(message: ToKept, reply: T): Promise<Extract<FromKept, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Kept did not answer ${message.type}`)), ASK_TIMEOUT_MS);
      const done = (f: () => void) => {
        clearTimeout(timer);
        f();
      };
      this.waiting.push({
        type: reply,
        resolve: (m) => done(() => resolve(m as Extract<FromKept, { type: T }>)),
        reject: (e) => done(() => reject(e)),
      });
      this.child.send(message);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.ask({ type: 'stop' }, 'stopped').catch(() => this.child.kill());
    const timer = setTimeout(() => this.child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** CPU time (ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

async function measure(dynamo: DynamoLocal, n: number): Promise<BenchResult[]> {
  const people = Array.from({ length: n }, (_, i) => `U0LD${String(n).padStart(3, '0')}${String(i).padStart(4, '0')}`);
  const deptOf = (i: number) => (i % 2 === 0 ? 'it' : 'finance');
  const fake = await FakeSlack.start();
  const db = createDb({ table: `kept-load-${n}`, endpoint: dynamo.endpoint });
  const setup = { endpoint: dynamo.endpoint, table: db.table, slackApiUrl: fake.url };
  const emoji = benchConfig(setup).KEPT_KUDOS_EMOJI;
  let kept: Kept | undefined;
  try {
    await ensureTable(db);
    await importCompany(db, company(people), '2026-11-01T00:00:00Z');
    kept = await Kept.start({ ...benchEnv(setup), KEPT_BENCH_NOW: NOW.toISOString() });
    const url = kept.url;
    const dir = await readDirectory(db);
    const formFor = (agreementId: string, providerName: string) =>
      newRequestModal({
        choices: [{ agreement: dir.agreements.find((a) => a.id === agreementId)!.active!, providerName }],
        metadata: '{}',
      }) as unknown as Record<string, unknown> & { blocks: unknown[] };
    // What each department files: IT's people to Finance, Finance's people to IT.
    const forms = { it: formFor('finance-for-it', 'Finance'), finance: formFor('it-for-finance', 'IT') };
    const fileBody = (user: string, dept: 'it' | 'finance', title: string, viewId: string) =>
      interactivity(
        viewSubmission(
          forms[dept],
          stateOf(forms[dept], {
            [IDS.requestPriorityBlock]: 'P2',
            [IDS.requestTitleBlock]: title,
            [IDS.requestDescriptionBlock]: 'It stopped working this morning',
          }),
          user,
          viewId,
        ),
      );
    const send = (kind: Kind | 'warmup', body: string, contentType?: string, retry = 0) =>
      sendSigned(url, body, {
        headers: {
          'x-bench-action': kind,
          ...(retry > 0 ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_error' } : {}),
        },
        ...(contentType ? { contentType } : {}),
      });

    // The backlog for the scan; the shared cards, filed through the front door by the other
    // department's head and posted by the worker; a list and a reaction to warm those paths up.
    process.stderr.write(`mixed load ${n}: seeding\n`);
    const due = await seedBacklog(db);
    for (const provider of ['it', 'finance'] as const)
      for (let k = 0; k < SHARED_CARDS; k++) {
        const filer = provider === 'it' ? FIN_HEAD : IT_HEAD;
        const form = provider === 'it' ? 'finance' : 'it';
        const answer = await send('warmup', fileBody(filer, form, `Shared ${provider} ${k}`, `VSH${n}${provider}${k}`));
        if (answer.status !== 200 || answer.text !== '') throw new Error(`a shared card was not filed: ${answer.text}`);
      }
    await send('warmup', slashCommand({ text: 'list', user_id: FIN_HEAD }));
    await send(
      'warmup',
      eventEnvelope(reactionOf(emoji, IT_HEAD, FIN_HEAD, '1780000000.000001'), `EvW${n}`),
      JSON_TYPE,
    );
    await kept.ask({ type: 'idle' }, 'idle');
    const shared: Record<'it' | 'finance', Shared[]> = { it: [], finance: [] };
    for (const r of await requestsTitled(db, 'Shared ')) {
      const record = await getRequestRecord(db, r.id);
      if (!record?.card) throw new Error(`no card for ${r.id}`);
      shared[record.request.provider as 'it' | 'finance'].push({ id: r.id, ...record.card, requester: r.requester });
    }
    for (const cards of Object.values(shared)) cards.sort((a, b) => a.id.localeCompare(b.id));
    fake.reset();
    // Slack reaches `npm start` through a tunnel that keeps its connections open: the people's
    // connections are opened here, while Kept is idle, and kept alive into the load (a busy Node
    // process accepts one new connection per turn of its event loop, which the load would measure).
    await Promise.all(people.map(() => send('warmup', slashCommand({ text: 'help' }))));
    await kept.ask({ type: 'reset' }, 'reset');

    // Everyone at once, and the scan.
    process.stderr.write(`mixed load ${n}: ${n} people and the scan\n`);
    const cardOf = (i: number) => shared[deptOf(i)][Math.floor(i / 2) % SHARED_CARDS]!;
    const act = (i: number, kind: Kind, retry = 0): Promise<Answer> => {
      const user = people[i]!;
      switch (kind) {
        case 'file':
          return send(kind, fileBody(user, deptOf(i), `Load ${n} ${user}`, `VLOAD${n}X${i}`));
        case 'click': {
          const card = cardOf(i);
          const press = buttonClick(
            { action_id: IDS.requestAction.acknowledge, value: card.id, block_id: `request_actions:${card.id}` },
            user,
            fake.responseUrl(`click-${i}`),
            card.channel,
            { message: { ts: card.ts } },
          );
          return send(kind, interactivity(press));
        }
        case 'kudos': {
          const reaction = reactionOf(emoji, user, people[(i + 1) % n]!, `1780001000.${i}`);
          return send(kind, eventEnvelope(reaction, `EvLOAD${n}X${i}`), JSON_TYPE, retry);
        }
        case 'list':
          return send(kind, slashCommand({ text: 'list', user_id: user, trigger_id: `load.${n}.${i}` }));
      }
    };
    const answers: Record<Kind, (Answer & { ok: boolean; person: number })[]> = {
      file: [],
      click: [],
      kudos: [],
      list: [],
    };
    let resubmitted = 0;
    let redelivered = 0;
    const later: { i: number; kind: 'file' | 'kudos' }[] = [];
    const cpuBefore = { kept: cpuOf(kept.pid), dynamo: cpuOf(dynamo.pid), own: process.cpuUsage() };
    const started = performance.now();
    const scanned = kept.ask({ type: 'scan', at: NOW.toISOString(), label: 'scan' }, 'scanned');
    await Promise.all(
      people.map(async (_, i) => {
        for (let step = 0; step < KINDS.length; step++) {
          const kind = KINDS[(i + step) % KINDS.length]!;
          const answer = await act(i, kind);
          answers[kind].push({ ...answer, ok: answeredWell(kind, answer), person: i });
          // Slack keeps a form open when its answer fails, with what was typed, and Kept's line asks
          // to press Submit again in a minute; Slack sends an event again (same event_id) when the
          // answer was not 2xx, at once and then after 1 and 5 minutes. Both come back after the rush.
          if (kind === 'file' && !answeredWell(kind, answer)) later.push({ i, kind });
          if (kind === 'kudos' && answer.status >= 300) {
            const again = await act(i, kind, 1);
            redelivered++;
            if (again.status >= 300) later.push({ i, kind });
          }
        }
      }),
    );
    const answeredMs = performance.now() - started;
    const scan = await scanned;
    await kept.ask({ type: 'idle' }, 'idle');
    const idleMs = performance.now() - started;
    // A minute later (Kept's clock moves on: a failed attempt's lease has run out): the people told
    // to press Submit again do (up to twice more), and Slack sends the failed events again (its
    // retries 2 and 3).
    if (later.length > 0) await kept.ask({ type: 'advance', ms: 60_000 }, 'advanced');
    for (const { i, kind } of later)
      for (let attempt = 0; attempt < 2; attempt++) {
        const answer = kind === 'file' ? await act(i, kind) : await act(i, kind, attempt + 2);
        if (kind === 'file') resubmitted++;
        else redelivered++;
        if (kind === 'file' ? answeredWell(kind, answer) : answer.status < 300) break;
      }
    await kept.ask({ type: 'idle' }, 'idle');
    const used = (before: number | undefined, after: number | undefined) =>
      before === undefined || after === undefined ? NaN : round((100 * (after - before)) / idleMs, 0);
    const ownCpu = process.cpuUsage(cpuBefore.own);
    const cpu = {
      kept: used(cpuBefore.kept, cpuOf(kept.pid)),
      dynamo: used(cpuBefore.dynamo, cpuOf(dynamo.pid)),
      own: used(0, (ownCpu.user + ownCpu.system) / 1000),
    };
    const usage = await kept.ask({ type: 'tally' }, 'tally');
    // The next scan, past the grace Slack gets to hear of a change: what the load left undone (a
    // breach not recorded, a job that gave up, an answer too late to hand its job over) is done now.
    const next = await kept.ask(
      { type: 'scan', at: new Date(NOW.getTime() + NEXT_SCAN_MS).toISOString(), label: 'next-scan' },
      'scanned',
    );
    await kept.ask({ type: 'idle' }, 'idle');

    // What reached people, and what the table holds.
    process.stderr.write(`mixed load ${n}: counting\n`);
    const errorTexts: string[] = [];
    let errors = 0;
    for (const kind of KINDS)
      for (const a of answers[kind].filter((x) => !x.ok)) {
        errors++;
        errorTexts.push(`${kind} answered ${a.status} ${a.text.slice(0, 120)}`);
      }
    const effects = new Effects();
    const posts = fake.callsTo('chat.postMessage').filter((c) => c.outcome === 'ok');
    const dmsTo = (user: string) => posts.filter((c) => c.args.channel === user);
    const threadOf = (ts: string) => posts.filter((c) => String(c.args.thread_ts ?? '') === ts);
    const cardsOf = (id: string) =>
      posts.filter((c) => c.args.thread_ts === undefined && String(c.args.channel).startsWith('C') && mentions(c, id));

    // Filings: one request per person (an error on the form counts as an error above; Submit
    // pressed again on the same form must not file a second), its card and its confirmation once.
    const filed = await requestsTitled(db, `Load ${n} `);
    for (const a of answers.file)
      effects.once('requests', people[a.person]!, filed.filter((r) => r.requester === people[a.person]).length);
    for (const r of filed) {
      effects.once('cards', r.id, cardsOf(r.id).length);
      effects.once('confirmations', r.id, dmsTo(r.requester).filter((c) => mentions(c, r.id)).length);
    }

    // Presses on the shared cards: one acknowledgement per card (one thread line, one DM to the
    // requester), and one answer per press: the acknowledgement, or "already acknowledged".
    const replies = (i: number) => fake.callsTo(`response/click-${i}`).map((c) => String(c.args.text ?? ''));
    for (const card of [...shared.it, ...shared.finance]) {
      const record = (await getRequestRecord(db, card.id))!;
      const acks = record.events.filter((e) => e.type === 'acknowledge');
      effects.once('acknowledgements', card.id, acks.length);
      effects.once(
        'acknowledgement thread lines',
        card.id,
        threadOf(card.ts).filter((c) => /acknowledged/.test(String(c.args.text))).length,
      );
      effects.once(
        'acknowledgement DMs',
        card.id,
        dmsTo(card.requester).filter((c) => mentions(c, card.id) && /acknowledged/.test(String(c.args.text))).length,
      );
      for (const a of answers.click.filter((x) => cardOf(x.person).id === card.id)) {
        const acknowledged = acks.some((e) => e.actor === people[a.person]);
        const said = replies(a.person);
        effects.once('answers to presses', `${people[a.person]} on ${card.id}`, said.length + (acknowledged ? 1 : 0));
        for (const text of said)
          if (text !== `${card.id} is already acknowledged.`) {
            errors++;
            errorTexts.push(`click reply: ${text}`);
          }
      }
    }

    // Kudos: one per reaction, and one DM to its recipient.
    const given = (await kudosOfWeek(db, localDayOf(NOW.getTime(), ZONE).week)).messages;
    for (let i = 0; i < n; i++) {
      const giver = people[i]!;
      const recipient = people[(i + 1) % n]!;
      effects.once('kudos', giver, given.filter((k) => k.giver === giver).length);
      effects.once(
        'kudos DMs',
        recipient,
        dmsTo(recipient).filter((c) => String(c.args.text).startsWith(`<@${giver}> gave you kudos`)).length,
      );
      for (const dm of dmsTo(giver).filter((c) => /did not give kudos/.test(String(c.args.text)))) {
        errors++;
        errorTexts.push(`kudos DM: ${String(dm.args.text).slice(0, 120)}`);
      }
    }

    // Breaches: each once in the history and the ledger, and told once in the card's thread.
    const ledger = await readLedger(db, 'it-for-finance', BREACH_MONTH);
    for (const id of due) {
      const record = (await getRequestRecord(db, id))!;
      effects.once("breached requests' cards", id, cardsOf(id).length);
      const thread = record.card ? threadOf(record.card.ts) : [];
      for (const kind of ['response', 'resolution'] as const) {
        const breaches = record.events.filter((e) => e.type === 'breach' && e.kind === kind);
        effects.once('breaches', `${id} ${kind}`, breaches.length);
        const penalties = ledger.filter((e) => e.type === 'penalty' && e.request === id && e.kind === kind);
        effects.once('penalties', `${id} ${kind}`, penalties.length);
        const told = thread.filter((c) => String(c.args.text).includes(`missed its ${kind} target`));
        effects.once('breach thread lines', `${id} ${kind}`, told.length);
      }
    }

    for (const call of fake.callsTo('chat.postEphemeral')) {
      errors++;
      errorTexts.push(`ephemeral: ${String(call.args.text).slice(0, 120)}`);
    }
    for (const text of [...new Set(errorTexts)].slice(0, 5)) process.stderr.write(`  error: ${text}\n`);
    for (const line of effects.describe()) process.stderr.write(`  not once: ${line}\n`);
    for (const line of kept.takeStderr().slice(0, 5)) process.stderr.write(`  Kept's stderr: ${line.slice(0, 160)}\n`);

    // The figures.
    const tallies = new Map(usage.tallies);
    const tally = (label: string) => tallies.get(label) ?? { calls: 0, transactions: 0, refused: 0, ms: 0 };
    const name = (what: string) => `mixed_load_${n}_${what}`;
    const all = KINDS.flatMap((k) => answers[k].map((a) => a.ms));
    const p99 = quantile(all, 0.99);
    const waited = KINDS.flatMap((k) => usage.timings[k]?.waited ?? []);
    const results: BenchResult[] = [
      { name: name('latency_median'), value: round(median(all), 0), unit: 'ms' },
      {
        name: name('latency_p99'),
        value: round(p99, 0),
        unit: 'ms',
        ...(n <= 50 ? { budget: `< ${P99_BUDGET_MS} ms`, ok: p99 < P99_BUDGET_MS } : {}),
      },
      { name: name('waiting_until_kept_reads_p99'), value: round(quantile(waited, 0.99), 0), unit: 'ms' },
    ];
    for (const kind of KINDS) {
      const ms = answers[kind].map((a) => a.ms);
      const count = answers[kind].length;
      results.push(
        { name: name(`${kind}_latency_median`), value: round(median(ms), 0), unit: 'ms' },
        { name: name(`${kind}_latency_p99`), value: round(quantile(ms, 0.99), 0), unit: 'ms' },
        {
          name: name(`${kind}_in_kept_p99`),
          value: round(quantile(usage.timings[kind]?.served ?? [], 0.99), 0),
          unit: 'ms',
        },
        { name: name(`${kind}_dynamodb_calls`), value: round(tally(kind).calls / count, 1), unit: 'calls/action' },
        {
          name: name(`${kind}_worker_dynamodb_calls`),
          value: round(tally(`${kind}:worker`).calls / count, 1),
          unit: 'calls/action',
        },
      );
    }
    const frontDoor = KINDS.map(tally);
    const frontCalls = frontDoor.reduce((sum, t) => sum + t.calls, 0);
    const frontMs = frontDoor.reduce((sum, t) => sum + t.ms, 0);
    const refused = [...tallies.entries()]
      .filter(([label]) => label !== 'next-scan' && !label.startsWith('next-scan:'))
      .reduce((sum, [, t]) => sum + t.refused, 0);
    const breaches = scan.result.breaches;
    results.push(
      { name: name('errors'), value: errors, unit: 'answers', budget: '0', ok: errors === 0 },
      { name: name('lost'), value: effects.lost, unit: 'effects', budget: '0', ok: effects.lost === 0 },
      { name: name('doubled'), value: effects.doubled, unit: 'effects', budget: '0', ok: effects.doubled === 0 },
      { name: name('forms_submitted_again'), value: resubmitted, unit: 'forms' },
      { name: name('events_sent_again_by_slack'), value: redelivered, unit: 'events' },
      { name: name('transactions_refused'), value: refused, unit: 'transactions' },
      { name: name('dynamodb_wait_per_call'), value: round(frontMs / frontCalls, 0), unit: 'ms' },
      { name: name('scan_breaches'), value: breaches, unit: `of ${2 * BACKLOG_DUE} breaches` },
      { name: name('scan_time'), value: round(scan.ms, 0), unit: 'ms' },
      { name: name('scan_dynamodb_calls'), value: tally('scan').calls + tally('scan:worker').calls, unit: 'calls' },
      { name: name('all_answered_time'), value: round(answeredMs, 0), unit: 'ms' },
      { name: name('worker_idle_time'), value: round(idleMs, 0), unit: 'ms' },
      { name: name('next_scan_resent'), value: next.result.resent, unit: 'requests' },
      { name: name('next_scan_breaches'), value: next.result.breaches, unit: 'breaches' },
      { name: name('cpu_kept'), value: cpu.kept, unit: '% of a core' },
      { name: name('cpu_dynamodb_local'), value: cpu.dynamo, unit: '% of a core' },
      { name: name('cpu_people_and_fake_slack'), value: cpu.own, unit: '% of a core' },
      { name: name('kept_event_loop_delay_p99'), value: round(usage.loopDelayP99Ms, 0), unit: 'ms' },
    );
    const byLabel = [...tallies.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, t]) => `${label} ${t.calls} (${round(t.ms / t.calls, 0)} ms each, ${t.refused} refused)`);
    process.stderr.write(`  DynamoDB calls: ${byLabel.join('; ')}\n`);
    const byCommand = usage.commands
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(([command, t]) => `${command} ${t.calls} (${round(t.ms / t.calls, 0)} ms each)`);
    process.stderr.write(`  by command: ${byCommand.join('; ')}\n`);
    return results;
  } finally {
    await kept?.stop();
    await fake.stop();
    db.raw.destroy();
  }
}

/** The kudos reaction by `user` on a message `author` wrote, as Slack sends `reaction_added`. */
function reactionOf(emoji: string, user: string, author: string, ts: string): Record<string, unknown> {
  return {
    type: 'reaction_added',
    user,
    reaction: emoji,
    item_user: author,
    item: { type: 'message', channel: 'C0GENERAL01', ts },
    event_ts: `${NOW.getTime() / 1000}`,
  };
}

/** How long Slack waits for an answer; a later one is an error the person sees, whatever it says. */
const SLACK_WAITS_MS = 3_000;

/** What Slack wants back, in time: an empty 200 for a form and a press, any 200 for an event, the list for `/sla list`. */
function answeredWell(kind: Kind, answer: Answer): boolean {
  if (answer.status !== 200 || answer.ms > SLACK_WAITS_MS) return false;
  if (kind === 'file' || kind === 'click') return answer.text === '';
  if (kind === 'kudos') return true;
  try {
    return String((JSON.parse(answer.text) as { text?: unknown }).text).startsWith('Your requests');
  } catch {
    return false;
  }
}

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  try {
    const results: BenchResult[] = [];
    for (const n of SIZES) results.push(...(await measure(dynamo, n)));
    return results;
  } finally {
    await dynamo.stop();
  }
};
