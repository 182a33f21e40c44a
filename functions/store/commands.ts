/**
 * The table's commands, as the store writes them: the AWS document client's names and shapes
 * (`new GetCommand({ TableName, Key })`, plain JavaScript values), sent by `db.doc.send` through
 * Kept's own small DynamoDB client (store/client.ts). Each command knows its DynamoDB operation and
 * which of its fields hold items, keys or values, marshalled and unmarshalled with AWS's own
 * `@aws-sdk/util-dynamodb` exactly as `@aws-sdk/lib-dynamodb` does (undefined values removed).
 */
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

export type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  DeleteCommandInput,
  GetCommandInput,
  PutCommandInput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: AttributeValue maps, as util-dynamodb types them.
type Marshalled = Record<string, any>;

const toWire = (value: unknown): Marshalled => marshall(value as Json, { removeUndefinedValues: true });
const fromWire = (value: unknown): Json => unmarshall(value as Marshalled);

/** `fields` of `obj` marshalled (those present). */
function wire(obj: Json | undefined, fields: readonly string[]): Json | undefined {
  if (!obj) return obj;
  const out: Json = { ...obj };
  for (const f of fields) if (out[f] !== undefined) out[f] = toWire(out[f]);
  return out;
}

const KEYED = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;

/** A document-client command: its input, its DynamoDB operation, and how its answer reads. */
export abstract class DocCommand<I, O> {
  declare readonly output: O;
  abstract readonly operation: string;
  constructor(readonly input: I) {}
  /** The input as DynamoDB reads it (AttributeValue maps). */
  wireInput(): Json {
    return wire(this.input as Json, KEYED)!;
  }
  /** The answer as the document client gives it. */
  readOutput(raw: Json): O {
    const out: Json = { ...raw };
    for (const f of ['Item', 'Attributes', 'LastEvaluatedKey']) if (out[f] !== undefined) out[f] = fromWire(out[f]);
    if (Array.isArray(out.Items)) out.Items = out.Items.map(fromWire);
    return out as O;
  }
}

export class GetCommand extends DocCommand<GetCommandInput, GetCommandOutput> {
  readonly operation = 'GetItem';
}
export class PutCommand extends DocCommand<PutCommandInput, PutCommandOutput> {
  readonly operation = 'PutItem';
}
export class UpdateCommand extends DocCommand<UpdateCommandInput, UpdateCommandOutput> {
  readonly operation = 'UpdateItem';
}
export class DeleteCommand extends DocCommand<DeleteCommandInput, DeleteCommandOutput> {
  readonly operation = 'DeleteItem';
}
export class QueryCommand extends DocCommand<QueryCommandInput, QueryCommandOutput> {
  readonly operation = 'Query';
}
export class ScanCommand extends DocCommand<ScanCommandInput, ScanCommandOutput> {
  readonly operation = 'Scan';
}

export class TransactWriteCommand extends DocCommand<TransactWriteCommandInput, TransactWriteCommandOutput> {
  readonly operation = 'TransactWriteItems';
  override wireInput(): Json {
    const items = (this.input.TransactItems ?? []).map((entry) =>
      Object.fromEntries(Object.entries(entry).map(([kind, op]) => [kind, wire(op as Json, KEYED)])),
    );
    return { ...this.input, TransactItems: items };
  }
}

export class BatchGetCommand extends DocCommand<BatchGetCommandInput, BatchGetCommandOutput> {
  readonly operation = 'BatchGetItem';
  override wireInput(): Json {
    const tables = Object.entries(this.input.RequestItems ?? {}).map(([table, ask]) => [
      table,
      { ...ask, Keys: (ask.Keys ?? []).map(toWire) },
    ]);
    return { ...this.input, RequestItems: Object.fromEntries(tables) };
  }
  override readOutput(raw: Json): BatchGetCommandOutput {
    const responses = Object.entries((raw.Responses ?? {}) as Record<string, unknown[]>).map(([table, items]) => [
      table,
      items.map(fromWire),
    ]);
    const unprocessed = Object.entries((raw.UnprocessedKeys ?? {}) as Record<string, { Keys?: unknown[] }>).map(
      ([table, ask]) => [table, { ...ask, Keys: (ask.Keys ?? []).map(fromWire) }],
    );
    return {
      ...raw,
      Responses: Object.fromEntries(responses),
      UnprocessedKeys: Object.fromEntries(unprocessed),
    } as unknown as BatchGetCommandOutput;
  }
}

export class BatchWriteCommand extends DocCommand<BatchWriteCommandInput, BatchWriteCommandOutput> {
  readonly operation = 'BatchWriteItem';
  override wireInput(): Json {
    return { ...this.input, RequestItems: writeRequests(this.input.RequestItems ?? {}, toWire) };
  }
  override readOutput(raw: Json): BatchWriteCommandOutput {
    const unprocessed = writeRequests(
      (raw.UnprocessedItems ?? {}) as BatchWriteCommandInput['RequestItems'] & {},
      fromWire,
    );
    return { ...raw, UnprocessedItems: unprocessed } as unknown as BatchWriteCommandOutput;
  }
}

function writeRequests(
  tables: NonNullable<BatchWriteCommandInput['RequestItems']>,
  convert: (value: unknown) => Json,
): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(tables).map(([table, requests]) => [
      table,
      (requests ?? []).map((r) => ({
        ...(r.PutRequest ? { PutRequest: { ...r.PutRequest, Item: convert(r.PutRequest.Item) } } : {}),
        ...(r.DeleteRequest ? { DeleteRequest: { ...r.DeleteRequest, Key: convert(r.DeleteRequest.Key) } } : {}),
      })),
    ]),
  );
}
