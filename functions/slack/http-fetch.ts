/**
 * A `fetch` for the Slack calls made while Slack waits (the request path's Web API client and
 * Bolt's `respond()`), on node:http and node:https. Node's own fetch loads undici on its first call:
 * 70-110 ms on this machine, against ~5 ms for the same request with node:http, paid by the first
 * answer of every Slack cold start, as a `/sla new` opens its form (issue #22, docs/decisions.md).
 * It does what those two callers ask of fetch: a POST or GET with a text body, a deadline through
 * `signal`, and a response read as text, JSON or bytes. What it does not do itself goes to Node's
 * fetch: a body other than text (a file upload's FormData), a redirect to follow.
 */
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The part of a fetch Response that @slack/web-api and Bolt read. */
class SmallResponse {
  readonly ok: boolean;
  readonly headers: Headers;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    raw: IncomingMessage['headers'],
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = headersOf(raw);
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

/** A read-only Headers (get, has, entries, forEach, iteration) over Node's; lower-case names, as fetch's. */
function headersOf(raw: IncomingMessage['headers']): Headers {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(raw))
    if (value !== undefined) map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  const headers = {
    get: (name: string) => map.get(name.toLowerCase()) ?? null,
    has: (name: string) => map.has(name.toLowerCase()),
    entries: () => map.entries(),
    keys: () => map.keys(),
    values: () => map.values(),
    forEach: (fn: (value: string, name: string, parent: Headers) => void) => {
      for (const [name, value] of map) fn(value, name, headers as unknown as Headers);
    },
    [Symbol.iterator]: () => map.entries(),
  };
  return headers as unknown as Headers;
}

function plainHeaders(init: RequestInit['headers']): Record<string, string> | undefined {
  if (init === undefined) return {};
  if (Array.isArray(init)) return Object.fromEntries(init);
  if (typeof (init as Headers).forEach === 'function') return undefined; // a Headers: Node's fetch reads it
  return { ...(init as Record<string, string>) };
}

/** Fetch's rejection for a request that never got a response. */
const failed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });

export const httpFetch: typeof fetch = (input, init = {}) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const body = init.body;
  const headers = plainHeaders(init.headers ?? undefined);
  const sendable = body === undefined || body === null || typeof body === 'string' || Buffer.isBuffer(body);
  if (url === undefined || headers === undefined || !sendable || init.redirect === 'manual')
    return globalThis.fetch(input, init);
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const payload = body === undefined || body === null ? undefined : Buffer.from(body);
  if (payload) headers['content-length'] = String(payload.byteLength);
  const options: RequestOptions = { method: init.method ?? 'GET', headers };
  return new Promise<Response>((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, options, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        // `redirect: 'error'` (the Web API client) fails as fetch does; a redirect to follow is Node's fetch's.
        if (init.redirect === 'error') return reject(failed(new Error(`redirected to ${res.headers.location}`)));
        return resolve(globalThis.fetch(input, init));
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(signal?.aborted ? signal.reason : failed(err)));
      res.on('end', () => {
        signal?.removeEventListener('abort', abort);
        resolve(
          new SmallResponse(
            url,
            status,
            res.statusMessage ?? '',
            res.headers,
            Buffer.concat(chunks),
          ) as unknown as Response,
        );
      });
    });
    const abort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    req.on('error', (err) => {
      signal?.removeEventListener('abort', abort);
      reject(signal?.aborted ? signal.reason : failed(err));
    });
    req.end(payload);
  });
};
