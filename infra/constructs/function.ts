import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, type DestinationConfig, type IDestination, type IFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The repository root (this file is infra/constructs/function.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Lets CommonJS dependencies call `require` from inside the ESM bundle. */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Modules left out of the bundle. None by default: the AWS SDK v3 is bundled, tree-shaken and minified with the
 * rest, pinned to the version in package-lock.json that the tests ran against. Measured by `npm run bench`
 * (README, Performance): bundling it roughly halves module init (about 50-60 ms against 95-145 ms with the
 * runtime's SDK loaded as many separate files), at the price of bundles of about 0.5-0.7 MB instead of
 * 0.18-0.31 MB. Pass `['@aws-sdk/*', '@smithy/*']` to use the SDK the nodejs22.x runtime provides instead.
 */
export const DEFAULT_EXTERNAL_MODULES: readonly string[] = [];

/**
 * The item-level DynamoDB actions a function may be granted. `TransactWriteItems` has no IAM action of its own: each
 * Put, Update and ConditionCheck inside a transaction is authorized as `PutItem`, `UpdateItem` and
 * `ConditionCheckItem` ("Using IAM with DynamoDB transactions", DynamoDB Developer Guide), so a function that writes
 * transactions holds the item actions its transactions contain.
 */
export type TableItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'ConditionCheckItem';

/** In {@link TableAccess.query}: the base table itself rather than one of its indexes. */
export const BASE_TABLE = '<table>';

/** The table calls one function makes. */
export interface TableAccess {
  readonly items: readonly TableItemAction[];
  /** Where it may Query: {@link BASE_TABLE} and/or index names. */
  readonly query?: readonly string[];
}

export interface FollowthroughFunctionProps {
  /** The handler file (TypeScript), exporting `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default {@link DEFAULT_EXTERNAL_MODULES} (bundle everything) */
  readonly externalModules?: readonly string[];
}

/**
 * A Lambda function with the project's defaults: Node.js 22 on arm64, an ESM bundle built by the local
 * esbuild (never Docker), minified with source maps, its own log group kept one month, and an execution role
 * that may write only to that log group (no managed policies). Grants are added through the helpers.
 */
export class FollowthroughFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FollowthroughFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'followthrough',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        externalModules: [...(props.externalModules ?? DEFAULT_EXTERNAL_MODULES)],
        forceDockerBundling: false,
        logLevel: LogLevel.ERROR,
      },
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  addEnvironment(key: string, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }

  /**
   * Grants exactly the table calls in `access` and sets `TABLE_NAME`. Item actions apply to the table; `Query` to the
   * base table and/or the named indexes only.
   */
  bindTable(table: ITable, access: TableAccess): this {
    if (access.items.length > 0) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'TableItems',
          actions: [...new Set(access.items)].sort().map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    const queried = [...new Set(access.query ?? [])];
    if (queried.length > 0) {
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'TableQuery',
          actions: ['dynamodb:Query'],
          resources: queried.map((target) => (target === BASE_TABLE ? table.tableArn : `${table.tableArn}/index/${target}`)),
        }),
      );
    }
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  addToRolePolicy(statement: iam.PolicyStatement): this {
    this.function.addToRolePolicy(statement);
    return this;
  }

  /**
   * Lets the function read `secret`'s value and nothing else about it: the code calls GetSecretValue only
   * (adapters/secrets-manager.ts), where `grantRead` would add DescribeSecret. The secret uses the AWS managed key,
   * which needs no grant of its own.
   */
  grantSecretValue(secret: ISecret): this {
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    return this;
  }
}

/**
 * An asynchronous invocation's on-failure destination on an SQS queue, granting the function's role only the call
 * Lambda makes with it, `sqs:SendMessage` ("Capturing records of Lambda asynchronous invocations", Lambda Developer
 * Guide). CDK's `SqsDestination` grants `grantSendMessages`, which adds GetQueueAttributes and GetQueueUrl.
 */
export function onFailureQueue(queue: IQueue): IDestination {
  return {
    bind(_scope: Construct, fn: IFunction): DestinationConfig {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      return { destination: queue.queueArn };
    },
  };
}
