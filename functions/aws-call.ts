/**
 * One call to an AWS API that speaks JSON over HTTPS (DynamoDB, Secrets Manager, SQS): the body
 * signed with Signature Version 4 (`aws4`), sent on a keep-alive connection, each try bounded in
 * time, transient failures tried again with jittered backoff, and AWS's refusals thrown as errors
 * named as the AWS SDK names them (`ConditionalCheckFailedException`, ...) with the same fields.
 * The Lambdas use this instead of the AWS SDK's clients, whose modules take about 120 ms to load on
 * every cold start, most of the time Slack gives us (issue #22, docs/decisions.md).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** How long one call may take: each try, its connection, and how many tries. */
export interface CallBudget {
  requestTimeout: number;
  connectionTimeout: number;
  maxAttempts: number;
}

export interface AwsJsonService {
  /** The signing name: `dynamodb`, `secretsmanager`, `sqs`. */
  service: string;
  region: string;
  /** Where to send it (DynamoDB Local, a fake); AWS's regional endpoint when omitted. */
  endpoint?: string;
  /** `X-Amz-Target` before the operation's name: `DynamoDB_20120810`, `secretsmanager`, `AmazonSQS`. */
  targetPrefix: string;
  /** `1.0` (DynamoDB, SQS) or `1.1` (Secrets Manager). */
  jsonVersion: '1.0' | '1.1';
  budget: CallBudget;
  /** Read before each call (Lambda's come from its environment; a cached provider elsewhere). */
  credentials: () => AwsCredentials | Promise<AwsCredentials>;
}

/** AWS refused the call, or it could not be made; `name` is AWS's error type, as the SDK names it. */
export class AwsError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode?: number; attempts: number };
  [field: string]: unknown;

  constructor(name: string, message: string, status: number | undefined, attempts: number, fields = {}) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$fault = status !== undefined && status < 500 ? 'client' : 'server';
    this.$metadata = { httpStatusCode: status, attempts };
  }
}

/** Errors AWS asks callers to try again after a pause (the SDK's throttling and transient sets). */
const RETRYABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TimeoutError',
  'NetworkError',
]);

function retryable(err: AwsError): boolean {
  const status = err.$metadata.httpStatusCode;
  return RETRYABLE.has(err.name) || (status !== undefined && (status >= 500 || status === 429));
}

/** The SDK's standard backoff: a random pause up to 100 ms doubled each try, at most 20 s. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(20_000, 100 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException` → `ConditionalCheckFailedException`. */
function errorName(type: unknown, header: string | string[] | undefined): string {
  const raw = typeof type === 'string' && type ? type : typeof header === 'string' ? header : 'UnknownError';
  return raw.split(':')[0]!.split('#').pop()!;
}

interface Reply {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
}

/** A client for one service: `call(operation, input)` resolves with AWS's parsed JSON answer. */
export interface AwsJsonClient {
  call(operation: string, input: unknown): Promise<unknown>;
  /** Closes the kept-alive connections (a process that ends, a test that is done). */
  destroy(): void;
}

export function awsJsonClient(service: AwsJsonService): AwsJsonClient {
  const url = new URL(service.endpoint ?? defaultEndpoint(service.service, service.region));
  const secure = url.protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: 50 })
    : new HttpAgent({ keepAlive: true, maxSockets: 50 });
  const send = secure ? httpsRequest : httpRequest;
  const { requestTimeout, connectionTimeout, maxAttempts } = service.budget;

  const once = async (operation: string, body: string): Promise<Reply> => {
    const signed = aws4.sign(
      {
        host: url.host,
        path: url.pathname,
        method: 'POST',
        service: service.service,
        region: service.region,
        body,
        headers: {
          'content-type': `application/x-amz-json-${service.jsonVersion}`,
          'x-amz-target': `${service.targetPrefix}.${operation}`,
        },
      },
      await service.credentials(),
    );
    return new Promise<Reply>((resolve, reject) => {
      const req = send({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || undefined,
        path: url.pathname,
        method: 'POST',
        headers: signed.headers,
        agent,
      });
      const fail = (name: string, message: string) => {
        clearTimeout(whole);
        clearTimeout(connecting);
        req.destroy();
        reject(new AwsError(name, message, undefined, 1));
      };
      // A try that takes longer is given up (and tried again while the budget allows).
      const whole = setTimeout(
        () => fail('TimeoutError', `${operation} took longer than ${requestTimeout} ms`),
        requestTimeout,
      );
      let connecting: NodeJS.Timeout | undefined;
      req.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        connecting = setTimeout(
          () => fail('TimeoutError', `no connection to ${url.host} within ${connectionTimeout} ms`),
          connectionTimeout,
        );
        socket.once('connect', () => clearTimeout(connecting));
      });
      req.on('error', (err: NodeJS.ErrnoException) => fail('NetworkError', `${err.code ?? ''} ${err.message}`.trim()));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail('NetworkError', err.message));
        res.on('end', () => {
          clearTimeout(whole);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
        });
      });
      req.end(body);
    });
  };

  return {
    async call(operation, input) {
      const body = JSON.stringify(input);
      for (let attempt = 1; ; attempt++) {
        let error: AwsError;
        try {
          const reply = await once(operation, body);
          const parsed = reply.body ? (JSON.parse(reply.body) as Record<string, unknown>) : {};
          if (reply.status < 300) return parsed;
          const { __type, message, Message, ...fields } = parsed;
          error = new AwsError(
            errorName(__type, reply.headers['x-amzn-errortype']),
            String(message ?? Message ?? `${operation} failed (HTTP ${reply.status})`),
            reply.status,
            attempt,
            fields,
          );
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          error = new AwsError(err.name, err.message, undefined, attempt);
        }
        if (attempt >= maxAttempts || !retryable(error)) throw error;
        await backoff(attempt);
      }
    },
    destroy: () => agent.destroy(),
  };
}

/** Lambda's credentials, from the environment it sets; undefined when there are none. */
export function credentialsFromEnv(env: Record<string, string | undefined> = process.env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
}
