/**
 * The DynamoDB client: one per process, keep-alive, explicit timeouts and bounded retries. The store
 * writes the AWS document client's commands (store/commands.ts); they are sent by Kept's own small
 * signed-HTTP client (functions/aws-call.ts) rather than the AWS SDK's, whose modules cost about
 * 120 ms of every Lambda cold start (issue #22, docs/decisions.md). Table administration (create,
 * describe, time to live) still uses the AWS SDK, loaded only when asked for (`db.admin()`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AwsCredentials,
  type AwsJsonClient,
  awsJsonClient,
  type CallBudget,
  credentialsFromEnv,
} from '../aws-call';
import type { DocCommand } from './commands';

type Json = Record<string, unknown>;

/** One call as the middleware sees it: the operation's input as DynamoDB reads it. */
export interface CallArgs {
  input: Json;
}
export type CallHandler = (args: CallArgs) => Promise<{ output: Json }>;
/** Wraps every call from now on (tests inject faults, count calls; locally the background gives way). */
export type CallMiddleware = (next: CallHandler, context: { commandName: string }) => CallHandler;

export interface MiddlewareOptions {
  name?: string;
  /** As the AWS SDK's: `high` runs outermost, `low` innermost; in the order added within each. */
  priority?: 'high' | 'normal' | 'low';
  /** Accepted for the AWS SDK's shape; every middleware here wraps the whole call, retries included. */
  step?: string;
}

export interface RawClient {
  /** One DynamoDB operation with its input as DynamoDB reads it (AttributeValue maps). */
  call(operation: string, input: Json): Promise<Json>;
  middlewareStack: {
    add(middleware: CallMiddleware, options?: MiddlewareOptions): void;
    remove(name: string): boolean;
  };
  /** Closes its connections (and the administration client's, if built). */
  destroy(): void;
}

export interface DocClient {
  send<I, O>(command: DocCommand<I, O>): Promise<O>;
}

export interface Db {
  doc: DocClient;
  raw: RawClient;
  table: string;
  /** The AWS SDK's client, for table administration (local set-up, the CLI, tests): loaded on first use. */
  admin(): Promise<DynamoDBClient>;
}

/**
 * How long one DynamoDB call may take. A job has minutes and waits out a slow moment (3 s per try,
 * 3 tries). A Slack answer has 3 seconds in all: a try that takes longer than 800 ms is given up and
 * tried once more, so one call never costs much more than 1.7 s and the person still hears from Kept
 * in time ("please try again") when DynamoDB is slow or gone.
 */
export const DB_BUDGETS = {
  job: { requestTimeout: 3_000, connectionTimeout: 1_000, maxAttempts: 3 },
  slack: { requestTimeout: 800, connectionTimeout: 300, maxAttempts: 2 },
} as const satisfies Record<string, CallBudget>;
export type DbBudget = keyof typeof DB_BUDGETS;

export interface DbOptions {
  table: string;
  /** DynamoDB Local (or any endpoint); omitted in AWS. */
  endpoint?: string;
  /** `job` unless the caller answers Slack while it waits. */
  budget?: DbBudget;
}

/** The table named by the configuration (DYNAMODB_ENDPOINT set locally, unset in AWS). */
export function dbFromConfig(config: { KEPT_TABLE: string; DYNAMODB_ENDPOINT?: string }, budget?: DbBudget): Db {
  return createDb({ table: config.KEPT_TABLE, endpoint: config.DYNAMODB_ENDPOINT, ...(budget ? { budget } : {}) });
}

/** DynamoDB Local keeps one database per access key and region: every client here uses the same. */
const LOCAL_CREDENTIALS: AwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const localRegion = () => process.env.AWS_REGION ?? 'local';

/** Where and as whom: Lambda's environment, or (a developer's machine) the AWS SDK's usual chain. */
async function access(
  endpoint: string | undefined,
  sdk: () => Promise<DynamoDBClient>,
): Promise<{ region: string; endpoint?: string; credentials: () => AwsCredentials | Promise<AwsCredentials> }> {
  if (endpoint !== undefined) return { region: localRegion(), endpoint, credentials: () => LOCAL_CREDENTIALS };
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const fromEnv = credentialsFromEnv();
  const custom = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  if (region && fromEnv) return { region, endpoint: custom, credentials: () => credentialsFromEnv() ?? fromEnv };
  const client = await sdk();
  return {
    region: region ?? (await client.config.region()),
    endpoint: custom,
    credentials: async () => {
      const c = await client.config.credentials();
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
    },
  };
}

const RANK = { high: 0, normal: 1, low: 2 } as const;

/** The client is built on first use (issue #22): `/sla help` never reads the table. */
export function createDb({ table, endpoint, budget = 'job' }: DbOptions): Db {
  let admin: Promise<DynamoDBClient> | undefined;
  const sdk = () => {
    admin ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => sdkClient(DynamoDBClient, endpoint));
    return admin;
  };
  let transport: Promise<AwsJsonClient> | undefined;
  const send = (operation: string, input: Json): Promise<unknown> => {
    transport ??= access(endpoint, sdk).then((where) =>
      awsJsonClient({
        service: 'dynamodb',
        targetPrefix: 'DynamoDB_20120810',
        jsonVersion: '1.0',
        budget: DB_BUDGETS[budget],
        ...where,
      }),
    );
    return transport.then((t) => t.call(operation, input));
  };

  const layers: { middleware: CallMiddleware; name?: string; rank: number; order: number }[] = [];
  let added = 0;
  const raw: RawClient = {
    async call(operation, input) {
      const commandName = `${operation}Command`;
      let handler: CallHandler = async (args) => ({ output: (await send(operation, args.input)) as Json });
      for (let i = layers.length - 1; i >= 0; i--) handler = layers[i]!.middleware(handler, { commandName });
      return (await handler({ input })).output;
    },
    middlewareStack: {
      add(middleware, options = {}) {
        layers.push({ middleware, name: options.name, rank: RANK[options.priority ?? 'normal'], order: added++ });
        layers.sort((a, b) => a.rank - b.rank || a.order - b.order);
      },
      remove(name) {
        const at = layers.findIndex((l) => l.name === name);
        if (at >= 0) layers.splice(at, 1);
        return at >= 0;
      },
    },
    destroy() {
      void transport?.then((t) => t.destroy()).catch(() => {});
      void admin?.then((c) => c.destroy()).catch(() => {});
    },
  };
  const doc: DocClient = {
    async send(command) {
      return command.readOutput(await raw.call(command.operation, command.wireInput()));
    },
  };
  return { table, doc, raw, admin: sdk };
}

function sdkClient(Client: typeof DynamoDBClient, endpoint: string | undefined): DynamoDBClient {
  return new Client(
    endpoint !== undefined
      ? { endpoint, region: localRegion(), credentials: LOCAL_CREDENTIALS, maxAttempts: 3 }
      : { maxAttempts: 3 },
  );
}
