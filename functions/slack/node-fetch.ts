/**
 * The `fetch` the Slack app's Web API client and Bolt's `respond()` use while Slack waits: the
 * same contract for what they send (a POST or GET with a string body, headers, an AbortSignal,
 * `redirect: 'error'`) over node:http(s) with keep-alive. Node's own `fetch` loads undici on its
 * first use, about 30 ms (more on a busy machine) of a Lambda cold start whose first answer opens a
 * form (issue #22, docs/decisions.md). Anything else (a FormData upload) goes to Node's `fetch`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/** The part of `Headers` the Slack clients read. */
class ReplyHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) fn(value, name);
  }
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  if (!init) return {};
  if (Array.isArray(init)) return Object.fromEntries(init);
  if (typeof (init as { forEach?: unknown }).forEach === 'function') {
    const out: Record<string, string> = {};
    (init as { forEach(fn: (v: string, k: string) => void): void }).forEach((v, k) => {
      out[k] = v;
    });
    return out;
  }
  return { ...(init as Record<string, string>) };
}

/** A rejection as Node's fetch gives it: the signal's reason, or a TypeError with the cause. */
function fetchFailed(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause });
}

export const nodeFetch: typeof fetch = (input, init = {}) => {
  const body = init.body;
  const plain = body === undefined || body === null || typeof body === 'string';
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!plain || !agent || (typeof input === 'object' && !(input instanceof URL))) return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<Response>((resolve, reject) => {
    const headers = headersOf(init.headers);
    if (typeof body === 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
      headers['content-length'] = String(Buffer.byteLength(body));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: init.method ?? 'GET', headers, agent });
    const abort = () => {
      req.destroy();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    req.on('error', (err) => {
      done();
      reject(signal?.aborted ? signal.reason : fetchFailed(err));
    });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && init.redirect !== 'manual') {
        res.resume();
        done();
        reject(fetchFailed(new Error(`redirect to ${res.headers.location ?? '?'} refused`)));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => {
        done();
        reject(signal?.aborted ? signal.reason : fetchFailed(err));
      });
      res.on('end', () => {
        done();
        const bytes = Buffer.concat(chunks);
        const text = async () => bytes.toString('utf8');
        resolve({
          status,
          statusText: res.statusMessage ?? '',
          ok: status >= 200 && status < 300,
          url: url.href,
          redirected: false,
          headers: new ReplyHeaders(res.headers),
          text,
          json: async () => JSON.parse(await text()),
          arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        } as unknown as Response);
      });
    });
    req.end(body ?? undefined);
  });
};
