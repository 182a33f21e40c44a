/**
 * Kept's one DynamoDB table, built from functions/store/schema.ts so the cloud table and the
 * DynamoDB Local table of tests and `npm start` cannot drift.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INDEXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '../../functions/store/schema';
import { type FunctionGrant, PARTITIONS } from '../access';

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
   * Grants `grantee` exactly `grant` (lib/access.ts): one statement per item action, on the table,
   * limited to its partitions with `dynamodb:LeadingKeys`, and Query on the indexes it reads. No
   * Scan, no BatchWriteItem, no DescribeTable, no table-level change. Transactions need no action of
   * their own: TransactWriteItems is authorised per item as Put/Update/Delete, with the same keys.
   * Index ARNs are listed one by one rather than `index/*` (no IAM wildcard).
   */
  grantAccess(grantee: iam.IGrantable, grant: FunctionGrant): void {
    for (const [action, partitions] of grant.table) {
      iam.Grant.addToPrincipal({
        grantee,
        actions: [`dynamodb:${action}`],
        resourceArns: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions.map((p) => PARTITIONS[p]) },
        },
      });
    }
    if (grant.indexes.length > 0) {
      const byName = new Map(INDEXES.map((index) => [index.name, index]));
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:Query'],
        resourceArns: grant.indexes.map((name) => `${this.table.tableArn}/index/${byName.get(name)!.name}`),
      });
    }
  }
}
