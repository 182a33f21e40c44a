/**
 * The local front door: a plain Node HTTP server on 127.0.0.1 that serves `GET /healthz`
 * and `POST /slack/events`. Slack's signature is checked on the raw bytes before anything
 * is parsed; only then does the request reach Bolt's HTTPReceiver, which does not check it again.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, HTTPModuleFunctions, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { Config } from '../config';
import { limitTo } from '../limit';
import { logger } from '../log';
import type { Db } from '../store/client';
import { InProgressError } from '../store/deliveries';
import { tableAnswers } from '../store/table';
import type { Outbox } from '../work/outbox';
import { createSlackApp } from './app';
import { checkEnvelope } from './envelope';
import { verifySlackRequest } from './verify';

export const SLACK_EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';
const BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * How many of Slack's requests the local front door works on at once; the others wait their turn,
 * in order of arrival. Chosen from `npm run bench -- load` (docs/benchmarks.md): with 50 people at
 * once, 4 to 10 give the same p99 (within noise), all at once gives twice that.
 */
export const LOCAL_LISTENERS_AT_ONCE = 8;

export interface SlackHttp {
  app: App;
  server: Server;
  /** Resolves when the listeners still running and the work they handed to the outbox are done. */
  idle(): Promise<void>;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export interface SlackHttpDeps {
  config: Config;
  db: Db;
  /** Socket Mode: Slack's traffic arrives over a WebSocket, so POST /slack/events is not served. */
  socketMode?: { app: App };
  /** Where slow work goes, built by the entry point (the in-process outbox locally and in tests). */
  outbox: Outbox;
  /** The clock the listeners read (tests move it). */
  now?: () => Date;
  /** Counts the requests being worked on or waiting their turn (the local runner's background gives way to them). */
  answering?: { during<T>(work: () => Promise<T>): Promise<T> };
  /** Serves every other path (the playground's pages); without it they are 404. */
  web?: (req: IncomingMessage, res: ServerResponse) => void;
  /** More for `GET /healthz` to report (the local scheduler's last runs). */
  health?: () => Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body?: object): void {
  if (body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT_BYTES ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createSlackHttp({
  config,
  db,
  socketMode,
  outbox,
  now,
  health,
  answering,
  web,
}: SlackHttpDeps): SlackHttp {
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET,
        // Every request reaches it through `handle` below, which has checked the signature already
        // (and answered 401 to a bad one): checked once (docs/decisions.md).
        signatureVerification: false,
        logLevel: LogLevel.ERROR,
        // An event another delivery is still handling (createSlackApp): 503, so Slack sends it again
        // later; it is expected, so it is not logged as an error.
        processEventErrorHandler: async (args) => {
          if (!(args.error instanceof InProgressError) || args.response.headersSent)
            return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
          args.response.writeHead(503);
          args.response.end();
          return true;
        },
      });
  const inflight = new Set<Promise<unknown>>();
  const app =
    socketMode?.app ?? createSlackApp({ config, db, receiver: receiver!, outbox, inflight, ...(now ? { now } : {}) });

  // One Node process serves everyone here: a burst of requests worked on all at once shares it
  // out so thinly that each waits for the others at every step, and the longest ones pass Slack's
  // 3 seconds. Worked on a few at a time, in order of arrival, each is answered sooner.
  const dispatch = app.processEvent.bind(app);
  const turn = limitTo(LOCAL_LISTENERS_AT_ONCE);
  app.processEvent = (event) =>
    answering ? answering.during(() => turn(() => dispatch(event))) : turn(() => dispatch(event));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === HEALTH_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405);
      const ok = await tableAnswers(db);
      const more = health?.() ?? {};
      return send(
        res,
        ok ? 200 : 503,
        ok ? { status: 'ok', table: db.table, ...more } : { status: 'waiting for the table', table: db.table, ...more },
      );
    }
    if (path !== SLACK_EVENTS_PATH && web) return web(req, res);
    if (path !== SLACK_EVENTS_PATH || !receiver) return send(res, 404);
    if (req.method !== 'POST') return send(res, 405);
    const body = await readBody(req);
    if (body === 'too_large') return send(res, 413);
    const verdict = verifySlackRequest(config.SLACK_SIGNING_SECRET, {
      signature: req.headers['x-slack-signature'],
      timestamp: req.headers['x-slack-request-timestamp'],
      rawBody: body,
    });
    if (!verdict.ok) {
      logger.warn('Slack request refused', { reason: verdict.reason });
      return send(res, 401);
    }
    const envelope = checkEnvelope(req.headers['content-type'], body.toString('utf8'));
    if (!envelope.ok) {
      logger.warn('Slack body not handled', { reason: envelope.reason });
      return send(res, 200);
    }
    (req as IncomingMessage & { rawBody: Buffer }).rawBody = body; // Bolt reads the buffered body
    receiver.requestListener(req, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      logger.error('HTTP request failed', { error: err.message });
      if (!res.headersSent) send(res, 500);
    });
  });

  return {
    app,
    server,
    idle: async () => {
      while (inflight.size > 0) {
        await Promise.allSettled([...inflight]);
        await outbox.idle();
      }
      await outbox.idle();
    },
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(`http://${host}:${(server.address() as AddressInfo).port}`));
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
