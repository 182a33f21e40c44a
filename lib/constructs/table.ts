/**
 * Kept's one DynamoDB table, built from functions/store/schema.ts so the cloud table and the
 * DynamoDB Local table of tests and `npm start` cannot drift.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '../../functions/store/schema';

/**
 * Everything a Kept function may do to items. No Scan (the data model only queries keys and the
 * sparse indexes), and no table-level writes (DeleteTable, UpdateTable). Transactions need no action
 * of their own: TransactWriteItems is authorised per item as Put/Update/Delete/ConditionCheckItem.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;

export class KeptTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const str = dynamodb.AttributeType.STRING;
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: str },
      sortKey: { name: SORT_KEY, type: str },
      // On-demand: traffic is a few Slack clicks and one scan a minute; nothing to capacity-plan.
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      globalSecondaryIndexes: INDEXES.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: str },
        sortKey: { name: index.sortKey, type: str },
        projectionType: dynamodb.ProjectionType.ALL,
      })),
      // The table is the record of every agreement and breach (checklist F1): restorable to any
      // second of the last 35 days, not deletable by accident, and kept when the stack is deleted.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets `grantee` read and write items (TABLE_DATA_ACTIONS) on the table, and Query the indexes
   * named in the schema. Index ARNs are listed one by one rather than `index/*` (no IAM wildcard).
   */
  grantItemAccess(grantee: iam.IGrantable): void {
    const indexArns = INDEXES.map((index) => `${this.table.tableArn}/index/${index.name}`);
    iam.Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_DATA_ACTIONS],
      resourceArns: [this.table.tableArn],
    });
    iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: indexArns });
  }
}
