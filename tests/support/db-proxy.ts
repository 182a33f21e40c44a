/**
 * A TCP proxy in front of DynamoDB Local (127.0.0.1 only) that can make it slow or silent, the way
 * a brown-out looks from the client: `slow(ms)` holds every byte DynamoDB sends back for `ms`,
 * `silence()` accepts connections and never answers, `heal()` goes back to passing bytes through.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

type Mode = { kind: 'pass' } | { kind: 'slow'; ms: number } | { kind: 'silent' };

export class DbProxy {
  private mode: Mode = { kind: 'pass' };
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The endpoint to give the DynamoDB client instead of DynamoDB Local's. */
  endpoint = '';

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(targetEndpoint: string): Promise<DbProxy> {
    const url = new URL(targetEndpoint);
    const server = createServer();
    const proxy = new DbProxy(server, { host: url.hostname, port: Number(url.port) });
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
    proxy.endpoint = `http://127.0.0.1:${address.port}`;
    return proxy;
  }

  slow(ms: number): void {
    this.mode = { kind: 'slow', ms };
  }

  /** DynamoDB stops answering: calls in flight and new ones hang until the client gives up. */
  silence(): void {
    this.mode = { kind: 'silent' };
  }

  heal(): void {
    this.mode = { kind: 'pass' };
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = tcpConnect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (this.mode.kind !== 'silent') upstream.write(chunk);
    });
    // Answers keep their order: each chunk waits for the one before it and then for the delay.
    let previous = Promise.resolve();
    upstream.on('data', (chunk) => {
      const mode = this.mode;
      if (mode.kind === 'silent') return;
      const delay = mode.kind === 'slow' ? mode.ms : 0;
      previous = previous.then(
        () =>
          new Promise<void>((resolve) => {
            if (delay === 0) {
              if (!client.destroyed) client.write(chunk);
              resolve();
              return;
            }
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              if (!client.destroyed && this.mode.kind !== 'silent') client.write(chunk);
              resolve();
            }, delay);
            this.timers.add(timer);
          }),
      );
    });
  }
}
