/**
 * Kept for the mixed-load bench (bench/load.bench.ts), in a process of its own as `npm start` runs
 * it: config from the environment, the local HTTP front door, the worker's work in this process
 * (the in-process outbox) and the scan, on the bench's DynamoDB Local. Two differences: the clock is
 * fixed at KEPT_BENCH_NOW, and the scan runs when and for the instant the bench says (over IPC)
 * rather than every minute. The people and the fake Slack stay in the bench's process, so their
 * work is not counted as Kept's.
 *
 * Every request is served, and every job it hands to the worker runs, inside an AsyncLocalStorage
 * scope named by the request's `x-bench-action` header (`<action>`, `<action>:worker`; a scan runs
 * in the scope the bench names), so the DynamoDB calls and refused transactions are told apart per
 * action. Each request's time is split in two: from `x-bench-sent` (when the bench sent it) until
 * Kept reads it, and from then until Kept's answer is written.
 *
 * IPC: it sends `{ type: 'ready', url }`; it answers `scan` (at an instant) with `scanned` (the
 * scan's result and time), `idle` with `idle` once the listeners and the worker are done, `reset`
 * with `reset` (the tallies start again), `tally` with what it measured since the reset, and `stop`
 * with `stopped`, after which it exits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Session } from 'node:inspector';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseConfig } from '../functions/config';
import { outboxFromConfig } from '../functions/jobs/in-process-outbox';
import { runScan, type ScanResult } from '../functions/jobs/scan';
import { Answering, giveWayToAnswers } from '../functions/local/lanes';
import { logger } from '../functions/log';
import { createSlackHttp } from '../functions/slack/http-server';
import { createDb } from '../functions/store/client';
import type { Outbox } from '../functions/work/outbox';
import { type CallTally, tallyCalls } from './support';

export type ToKept =
  | { type: 'scan'; at: string; label: string }
  | { type: 'idle' }
  | { type: 'reset' }
  | { type: 'tally' }
  /** Moves Kept's clock on (a minute later: leases of failed attempts have run out). */
  | { type: 'advance'; ms: number }
  | { type: 'stop' };

/** Per kind of request: ms from when the bench sent it until Kept read it, and from then until Kept answered. */
export type Timings = Record<string, { waited: number[]; served: number[] }>;

export type FromKept =
  | { type: 'ready'; url: string }
  | { type: 'advanced'; now: string }
  | { type: 'scanned'; result: ScanResult; ms: number }
  | { type: 'idle' }
  | { type: 'reset' }
  | {
      type: 'tally';
      tallies: [string, CallTally][];
      /** The same calls by DynamoDB command. */
      commands: [string, CallTally][];
      timings: Timings;
      /** CPU time this process used since the reset (user + system), and the wall time. */
      cpuMs: number;
      wallMs: number;
      /** How late the event loop ran timers since the reset: a busy loop makes every request wait. */
      loopDelayP99Ms: number;
    }
  | { type: 'stopped' }
  | { type: 'failed'; error: string };

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  let now = new Date(process.env.KEPT_BENCH_NOW ?? '');
  if (Number.isNaN(now.getTime())) throw new Error('KEPT_BENCH_NOW must be an ISO instant');
  const db = createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT });
  const frontDb = createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT, budget: 'slack' });
  const scope = new AsyncLocalStorage<string>();
  const tallies = tallyCalls(db, () => scope.getStore() ?? 'other');
  const commands = tallyCalls(db, (command) => command.replace(/Command$/, ''));
  tallyCalls(frontDb, () => scope.getStore() ?? 'other', tallies);
  tallyCalls(frontDb, (command) => command.replace(/Command$/, ''), commands);
  const inner = outboxFromConfig(config, db);
  const outbox: Outbox = {
    send: (item, options) => scope.run(`${scope.getStore() ?? 'other'}:worker`, () => inner.send(item, options)),
    idle: () => inner.idle(),
  };
  // As bin/local.ts composes it (functions/local/runner.ts): the front door on the Slack budget,
  // the background on its own client, giving way to the answers.
  const answering = new Answering();
  giveWayToAnswers(db, answering);
  const http = createSlackHttp({ config, db: frontDb, outbox, now: () => now, answering });

  // The front door's own listener, run inside the request's scope and timed.
  const timings: Timings = {};
  const serve = http.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  http.server.removeAllListeners('request');
  http.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const read = performance.timeOrigin + performance.now();
    const kind = String(req.headers['x-bench-action'] ?? 'other');
    const sent = Number(req.headers['x-bench-sent'] ?? read);
    res.on('finish', () => {
      const t = (timings[kind] ??= { waited: [], served: [] });
      t.waited.push(read - sent);
      t.served.push(performance.timeOrigin + performance.now() - read);
    });
    scope.run(kind, () => {
      for (const listener of serve) listener.call(http.server, req, res);
    });
  });
  const url = await http.listen(0);
  const profiler = process.env.KEPT_BENCH_CPU_PROFILE ? profileInto(process.env.KEPT_BENCH_CPU_PROFILE) : undefined;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let since = { cpu: process.cpuUsage(), wall: performance.now() };

  const answer = async (message: ToKept): Promise<FromKept> => {
    switch (message.type) {
      case 'scan': {
        const start = performance.now();
        const result = await scope.run(message.label, () => runScan({ db, outbox }, new Date(message.at)));
        return { type: 'scanned', result, ms: performance.now() - start };
      }
      case 'idle':
        await http.idle();
        return { type: 'idle' };
      case 'advance':
        now = new Date(now.getTime() + message.ms);
        return { type: 'advanced', now: now.toISOString() };
      case 'reset':
        await profiler?.start();
        tallies.clear();
        commands.clear();
        for (const kind of Object.keys(timings)) delete timings[kind];
        loop.reset();
        loop.enable();
        since = { cpu: process.cpuUsage(), wall: performance.now() };
        return { type: 'reset' };
      case 'tally': {
        await profiler?.stop();
        const cpu = process.cpuUsage(since.cpu);
        return {
          type: 'tally',
          tallies: [...tallies.entries()],
          commands: [...commands.entries()],
          timings,
          cpuMs: (cpu.user + cpu.system) / 1000,
          wallMs: performance.now() - since.wall,
          loopDelayP99Ms: loop.percentile(99) / 1e6,
        };
      }
      case 'stop':
        await http.idle();
        await http.close();
        db.raw.destroy();
        frontDb.raw.destroy();
        setImmediate(() => process.disconnect?.());
        return { type: 'stopped' };
    }
  };
  process.on('message', (message: ToKept) => {
    answer(message).then(
      (reply) => process.send?.(reply),
      (err: Error) => process.send?.({ type: 'failed', error: err.message } satisfies FromKept),
    );
  });
  // As bin/local.ts: one request's failure never stops Kept for everyone.
  process.on('unhandledRejection', (reason) =>
    logger.error('a task failed and nobody was waiting for it', { error: String(reason) }),
  );
  process.send?.({ type: 'ready', url } satisfies FromKept);
}

/** A CPU profile of the load alone (from `reset` to `tally`), written into `dir`. */
function profileInto(dir: string): { start(): Promise<void>; stop(): Promise<void> } {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    stop: async () => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `kept-load-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

main().catch((err: Error) => {
  process.send?.({ type: 'failed', error: err.message } satisfies FromKept);
  process.exitCode = 1;
});
