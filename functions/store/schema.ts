/**
 * The one definition of Kept's DynamoDB table. The CDK stack (lib/) and the local runner
 * and tests (createTableInput) both build the table from this, so they cannot drift.
 * Access patterns and key shapes are listed in docs/data-model.md.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Epoch seconds; DynamoDB deletes the item some time after. Reads still filter on it. */
export const TTL_ATTRIBUTE = 'expiresAt';

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** What the index is for, as written in docs/data-model.md. */
  purpose: string;
}

export const INDEXES: readonly IndexDefinition[] = [
  {
    name: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    purpose: 'sparse, sharded "next check at" index the breach scanner reads (CHECK#<shard> -> ISO instant)',
  },
  {
    name: 'gsi2',
    partitionKey: 'gsi2pk',
    sortKey: 'gsi2sk',
    purpose: 'requests of a requester, newest first (USER#<id> -> <created ISO>#<id>)',
  },
  {
    name: 'gsi3',
    partitionKey: 'gsi3pk',
    sortKey: 'gsi3sk',
    purpose:
      'sparse: requests a department is still working on, most urgent first (QUEUE#<dept> -> D<due ISO>#<id>, or W<filed ISO>#<id> with no clock running)',
  },
];

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributeNames = [PARTITION_KEY, SORT_KEY, ...INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: attributeNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    GlobalSecondaryIndexes: INDEXES.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
