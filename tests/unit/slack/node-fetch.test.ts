/**
 * The request path's fetch on node:http (functions/slack/node-fetch.ts) must answer Bolt and the
 * Web API client as Node's fetch does: the same request on the wire, the response read the same
 * way, a deadline that rejects with the signal's reason, a failed connection as fetch's TypeError.
 * A local server on 127.0.0.1 compares both.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeFetch } from '../../../functions/slack/node-fetch';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

async function both(url: string, init: RequestInit) {
  const read = async (f: typeof fetch) => {
    const res = await f(url, init);
    return {
      status: res.status,
      statusText: res.statusText,
      ok: res.ok,
      type: res.headers.get('Content-Type'),
      retry: res.headers.get('retry-after'),
      missing: res.headers.get('x-nothing'),
      headers: Object.fromEntries([...res.headers.entries()].filter(([k]) => k.startsWith('x-'))),
      text: await res.text(),
    };
  };
  const ours = await read(nodeFetch);
  const sentByUs = seen.pop()!;
  const node = await read(globalThis.fetch);
  const sentByNode = seen.pop()!;
  return { ours, node, sentByUs, sentByNode };
}

describe('the request path fetch', () => {
  it('posts what Node would and reads the answer as Node does', async () => {
    handler = (_req, res) => {
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('x-oauth-scopes', 'chat:write,commands');
      res.end(JSON.stringify({ ok: true, text: 'Grüße 👋' }));
    };
    const body = 'view=%7B%22type%22%3A%22modal%22%7D&trigger_id=1.2';
    const { ours, node, sentByUs, sentByNode } = await both(`${base}/api/views.open`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
      body,
      redirect: 'error',
    });
    expect(ours).toEqual(node);
    expect(JSON.parse(ours.text)).toEqual({ ok: true, text: 'Grüße 👋' });
    for (const sent of [sentByUs, sentByNode]) {
      expect(sent).toMatchObject({ method: 'POST', url: '/api/views.open', body });
      expect(sent.headers).toMatchObject({
        'content-type': 'application/x-www-form-urlencoded',
        authorization: 'Bearer xoxb-1',
        'content-length': String(body.length),
      });
    }
  });

  it('gives a rate limit and an error status as they came', async () => {
    handler = (_req, res) => {
      res.statusCode = 429;
      res.setHeader('retry-after', '30');
      res.end('slow down');
    };
    const { ours, node } = await both(`${base}/api/chat.postMessage`, { method: 'POST', body: '{}' });
    expect(ours).toEqual(node);
    expect(ours).toMatchObject({ status: 429, ok: false, retry: '30', text: 'slow down' });
  });

  it('reads JSON and bytes', async () => {
    handler = (_req, res) => res.end('{"ok":true}');
    const res = await nodeFetch(`${base}/json`, { method: 'POST', body: '' });
    expect(await res.json()).toEqual({ ok: true });
    const bytes = await (await nodeFetch(`${base}/bytes`)).arrayBuffer();
    expect(Buffer.from(bytes).toString()).toBe('{"ok":true}');
  });

  it('gives up when its signal says so, with the signal reason, as fetch does', async () => {
    const controller = new AbortController();
    handler = () => controller.abort(new DOMException('too slow', 'TimeoutError')); // never answers
    const call = nodeFetch(`${base}/hang`, { method: 'POST', body: 'x', signal: controller.signal });
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError', message: 'too slow' });
    const already = nodeFetch(`${base}/never`, { signal: AbortSignal.abort(new DOMException('gone', 'AbortError')) });
    await expect(already).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails as fetch fails when nobody listens, and refuses a redirect when asked to', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(nodeFetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: '' })).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
    handler = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', '/elsewhere');
      res.end();
    };
    await expect(nodeFetch(`${base}/moved`, { method: 'POST', body: '', redirect: 'error' })).rejects.toThrow(
      'fetch failed',
    );
  });

  it("leaves a body it does not send itself to Node's fetch", async () => {
    handler = (_req, res) => res.end('{"ok":true}');
    const form = new FormData();
    form.append('file', new Blob(['a,b\n1,2\n']), 'report.csv');
    const res = await nodeFetch(`${base}/api/files.upload`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(seen.pop()!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });
});
