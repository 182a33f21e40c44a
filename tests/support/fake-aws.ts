/**
 * An AWS JSON-protocol endpoint on 127.0.0.1 (Secrets Manager, SQS, or DynamoDB's errors that
 * DynamoDB Local never gives): it records every request as it arrived and answers with what the
 * test's `answer` returns (status and JSON body), or never answers at all (`'hang'`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArrivedCall {
  target: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export type Answer = { status?: number; body: Record<string, unknown> } | 'hang';

export class FakeAws {
  readonly calls: ArrivedCall[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(answer: (call: ArrivedCall, n: number) => Answer): Promise<FakeAws> {
    let fake: FakeAws | undefined;
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        const call: ArrivedCall = {
          target: String(req.headers['x-amz-target'] ?? ''),
          headers: req.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        };
        fake!.calls.push(call);
        const a = answer(call, fake!.calls.length);
        if (a === 'hang') return;
        res.statusCode = a.status ?? 200;
        res.setHeader('content-type', 'application/x-amz-json-1.0');
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeAws(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A Secrets Manager that knows `secrets` (SecretId → its JSON string), as GetSecretValue answers. */
export function secretsManagerAnswer(secrets: Record<string, string>): (call: ArrivedCall) => Answer {
  return (call) => {
    const id = String(call.body.SecretId ?? '');
    const value = secrets[id];
    if (call.target !== 'secretsmanager.GetSecretValue' || value === undefined)
      return {
        status: 400,
        body: { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." },
      };
    return { body: { ARN: id, Name: id, SecretString: value, VersionId: 'v1', CreatedDate: 1 } };
  };
}
