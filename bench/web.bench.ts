/**
 * The web dashboard's pages over 100,000 requests (issue #20: "pages answered in under 200 ms
 * locally"). The table is the report bench's (bench/report.bench.ts `seed`: a year of 100,000
 * requests for Operations, the day counters and the request items, in DynamoDB Local in memory).
 * The web app (functions/web/app.ts) is served by its Node listener on 127.0.0.1, as `npm start`
 * serves it, and each page is fetched with a signed session cookie: My departments for
 * Operations' head, a request's page, and the company page (the head is a Kept admin here). There
 * is no agreement page on main yet. After a warm-up, each page is fetched RUNS times one after the
 * other; the figures are the median and p95 of the whole answer (status, headers and body read).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDynamoLocal } from '../functions/local/dynamodb-local';
import { createDb } from '../functions/store/client';
import { ensureTable } from '../functions/store/table';
import { webListener } from '../functions/web/node';
import { SESSION_COOKIE, sealSession, webSessionKey } from '../functions/web/session';
import { HEAD, NOW, REQUESTS, seed } from './report.bench';
import { median, quantile, round, timeMs } from './stats';
import type { Bench, BenchResult } from './types';

const RUNS = 50;
const WARMUP = 5;
const BUDGET_MS = 200;
const SESSION_KEY = 'web-bench-session-key-'.padEnd(64, 'x');

/** Each page, and a piece of its HTML that shows it answered with the seeded figures. */
const PAGES = [
  { name: 'my_departments', path: '/web', expect: '<h2 id="dept-ops">Operations</h2>' },
  { name: 'request', path: '/web/requests/OPS-50000', expect: '<h1>OPS-50000 · Request 50000</h1>' },
  { name: 'company', path: '/web/company', expect: '(ops-for-sales)' },
  { name: 'agreement', path: '/web/agreements/ops-for-sales', expect: 'Penalty ledger' },
] as const;

export const run: Bench = async () => {
  const dynamo = await startDynamoLocal();
  const db = createDb({ table: 'kept-web-bench', endpoint: dynamo.endpoint });
  const now = () => new Date(NOW);
  const server = createServer(
    webListener({
      config: { KEPT_ADMINS: [HEAD], PORT: 3000, KEPT_WEB_SESSION_KEY: SESSION_KEY },
      db,
      now,
    }),
  );
  try {
    await ensureTable(db);
    await seed(db);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = `${SESSION_COOKIE}=${sealSession(webSessionKey({ KEPT_WEB_SESSION_KEY: SESSION_KEY }), HEAD, now())}`;
    const results: BenchResult[] = [{ name: 'web_seed_requests', value: REQUESTS, unit: 'requests' }];
    for (const page of PAGES) {
      const once = async () => {
        const res = await fetch(`${base}${page.path}`, { headers: { cookie } });
        const html = await res.text();
        if (res.status !== 200 || !html.includes(page.expect))
          throw new Error(`${page.path} answered ${res.status} without ${page.expect}`);
        return html.length;
      };
      for (let i = 0; i < WARMUP; i++) await once();
      const latencies: number[] = [];
      for (let i = 0; i < RUNS; i++) latencies.push(await timeMs(once));
      const p95 = quantile(latencies, 0.95);
      process.stderr.write(`  ${page.path}: ${(await once()) / 1000} kB of HTML\n`);
      results.push(
        { name: `web_${page.name}_median`, value: round(median(latencies)), unit: 'ms' },
        {
          name: `web_${page.name}_p95`,
          value: round(p95),
          unit: 'ms',
          budget: `< ${BUDGET_MS} ms`,
          ok: p95 < BUDGET_MS,
        },
      );
    }
    return results;
  } finally {
    server.close();
    db.raw.destroy();
    await dynamo.stop();
  }
};
