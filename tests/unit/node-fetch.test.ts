/**
 * The Slack app's fetch (functions/slack/node-fetch.ts) answers the Web API client and Bolt's
 * respond() as Node's fetch would for what they send: the body and headers arrive, the reply reads
 * the same, a deadline rejects with the signal's TimeoutError (which the app turns into "please try
 * again"), a redirect is refused, and a server that is gone is a "fetch failed". Only 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeFetch } from '../../functions/slack/node-fetch';
import { fetchWithin } from '../../functions/slack/web-client';

let server: Server;
let url: string;
let arrived: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];
let reply: (path: string) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      arrived.push({ method: req.method, headers: req.headers, body });
      const r = reply(req.url ?? '/');
      if (r === 'hang') return;
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  arrived = [];
});

it('a Web API call: the form body and headers arrive; the reply reads as fetch reads it', async () => {
  reply = () => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write,commands' },
    body: JSON.stringify({ ok: true, view: { id: 'V1' }, text: 'Grüße 🎫' }),
  });
  const res = await nodeFetch(`${url}/api/views.open`, {
    method: 'POST',
    headers: { Authorization: 'Bearer xoxb-1', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'trigger_id=1.2.abc&view=%7B%7D',
    redirect: 'error',
  });
  expect(arrived).toEqual([expect.objectContaining({ method: 'POST', body: 'trigger_id=1.2.abc&view=%7B%7D' })]);
  expect(arrived[0]!.headers).toMatchObject({ authorization: 'Bearer xoxb-1', 'content-length': '30' });
  expect(res.status).toBe(200);
  expect(res.ok).toBe(true);
  expect(res.headers.get('X-OAuth-Scopes')).toBe('chat:write,commands');
  expect(Object.fromEntries(res.headers.entries())).toMatchObject({ 'x-oauth-scopes': 'chat:write,commands' });
  expect(await res.json()).toEqual({ ok: true, view: { id: 'V1' }, text: 'Grüße 🎫' });
});

it('a rate limit reads with its status and Retry-After; a failed respond() is not ok', async () => {
  reply = () => ({ status: 429, headers: { 'retry-after': '30' }, body: '' });
  const res = await nodeFetch(`${url}/api/chat.postMessage`, { method: 'POST', body: 'a=1' });
  expect(res.status).toBe(429);
  expect(res.ok).toBe(false);
  expect(res.headers.get('retry-after')).toBe('30');
});

it('a response_url that hangs: the deadline rejects with a TimeoutError, as Node fetch does', async () => {
  reply = () => 'hang';
  const err = await fetchWithin(50)(`${url}/hooks/1`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: 'hi' }),
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DOMException);
  expect((err as DOMException).name).toBe('TimeoutError');
});

it('a redirect is refused, never followed; a server that is gone is "fetch failed"', async () => {
  reply = () => ({ status: 302, headers: { location: 'https://elsewhere.example/' } });
  await expect(nodeFetch(`${url}/api/x`, { method: 'POST', body: '', redirect: 'error' })).rejects.toThrow(
    'fetch failed',
  );
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  await expect(nodeFetch(`${gone}/api/x`, { method: 'POST', body: '' })).rejects.toMatchObject({
    name: 'TypeError',
    message: 'fetch failed',
  });
});

it('a file upload (FormData) goes to Node’s own fetch and arrives as multipart', async () => {
  reply = () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' });
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'chart.png');
  const res = await nodeFetch(`${url}/upload`, { method: 'POST', body: form });
  expect(await res.json()).toEqual({ ok: true });
  expect(String(arrived[0]!.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
});
