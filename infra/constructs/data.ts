import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Index of a rep's touches by due time: `gsi1pk` = rep, `gsi1sk` = due instant + touch id. */
export const BY_REP_DUE_INDEX = 'byRepDue';
/** Index from a touch id to its item keys. */
export const BY_TOUCH_ID_INDEX = 'byTouchId';
/**
 * Sparse index of every rep's touches still `scheduled`, by due time: `gsi2pk` (a constant such as `DUE`) and
 * `gsi2sk` = due instant + `#` + touch id, both set only while the touch is scheduled and removed in the same write
 * that ends it. The sweep queries it for `gsi2sk <= <now - grace>` to find promises that were not kept.
 */
export const BY_DUE_INDEX = 'byDue';
/**
 * What {@link BY_DUE_INDEX} carries besides the keys: exactly what the sweep needs to rebuild a touch's fire payload
 * (`{ v, touchId, dueAt, repId, prospectId }`) and decide what to do with it without reading the item. Anything else
 * it reads from the table, which it must do anyway before a conditional write.
 */
/**
 * Sparse index of each rep's prospects by name: `gsi3pk` = `REP#<rep>`, `gsi3sk` = `PROSPECT#<folded name>#<id>`,
 * set on prospect items only (functions/adapters/dynamo-store.ts). The console's search and the promises report read
 * a rep's prospects from it.
 */
export const BY_REP_INDEX = 'byRep';
export const BY_DUE_PROJECTED_ATTRIBUTES = ['touchId', 'repId', 'prospectId', 'dueAt', 'kind'] as const;

/**
 * The single table holding reps, prospects, calls and touches. On demand, point-in-time recovery on, encrypted
 * with the AWS managed key, deletion protection on and retained when the stack is deleted: a `cdk destroy` never
 * takes the data with it. Items expire through `expiresAt`.
 */
export class Data extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'expiresAt',
      // Retain keeps CloudFormation from deleting it; deletion protection also stops a DeleteTable from the console
      // or CLI until someone turns it off on purpose (DynamoDB Developer Guide, "Using deletion protection").
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table.addGlobalSecondaryIndex({
      indexName: BY_REP_DUE_INDEX,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.table.addGlobalSecondaryIndex({
      indexName: BY_TOUCH_ID_INDEX,
      partitionKey: { name: 'touchId', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    // Sparse: DynamoDB writes an index entry only for items that have both key attributes ("Take advantage of sparse
    // indexes", DynamoDB Developer Guide), so the index holds pending touches and nothing else.
    this.table.addGlobalSecondaryIndex({
      indexName: BY_DUE_INDEX,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...BY_DUE_PROJECTED_ATTRIBUTES],
    });

    // Every attribute: a search answers whole prospects from the index alone, and prospect items are small.
    this.table.addGlobalSecondaryIndex({
      indexName: BY_REP_INDEX,
      partitionKey: { name: 'gsi3pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi3sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
