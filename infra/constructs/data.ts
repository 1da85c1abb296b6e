import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Index of a rep's touches by due time: `gsi1pk` = rep, `gsi1sk` = due instant + touch id. */
export const BY_REP_DUE_INDEX = 'byRepDue';
/** Index from a touch id to its item keys. */
export const BY_TOUCH_ID_INDEX = 'byTouchId';

/**
 * The single table holding reps, prospects, calls and touches. On demand, point-in-time recovery on,
 * encrypted with the AWS managed key, retained when the stack is deleted. Items expire through `expiresAt`.
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
  }
}
