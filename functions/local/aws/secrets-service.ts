/**
 * The local Secrets Manager (awsJson1_1, `X-Amz-Target: secretsmanager.<Operation>`):
 * GetSecretValue for the secrets the runtime gives, found by name, full ARN or partial ARN (the ARN
 * without the six random characters Secrets Manager appends), answered in the service's shape
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
 *
 * Each secret's ARN suffix, version id and creation date are kept under the data dir, so an ARN
 * written into `.data/lambda.env` keeps resolving after a restart. `failNext` makes the next calls
 * fail with InternalServiceError, for tests of init that recovers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AwsServiceError, epochSeconds, Violations, type Clock } from './wire.js';

export interface SecretsServiceOptions {
  clock: Clock;
  region: string;
  accountId: string;
  /** Secret name to its string value. */
  secrets: Record<string, string>;
  /** ARN suffixes and versions live in `<dataDir>/secrets/versions.json`; absent: fresh each start. */
  dataDir?: string;
}

interface SecretVersion {
  suffix: string;
  versionId: string;
  created: number;
}

type Json = Record<string, unknown>;

const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const NOT_FOUND = "Secrets Manager can't find the specified secret.";

export class LocalSecretsService {
  private readonly versions: Record<string, SecretVersion> = {};
  private readonly file?: string;
  private faults: { remaining: number; code: string; message: string } = { remaining: 0, code: '', message: '' };
  private calls = 0;

  constructor(private readonly options: SecretsServiceOptions) {
    if (options.dataDir) this.file = join(options.dataDir, 'secrets', 'versions.json');
    if (this.file && existsSync(this.file)) Object.assign(this.versions, JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, SecretVersion>);
    let changed = false;
    for (const name of Object.keys(options.secrets)) {
      if (this.versions[name]) continue;
      this.versions[name] = { suffix: randomSuffix(), versionId: randomUUID(), created: options.clock.now().getTime() };
      changed = true;
    }
    if (changed && this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(this.versions, null, 2) + '\n');
    }
  }

  /** The full ARN of a secret the runtime gave, for the Lambda environment (LINK_SECRET_ARN). */
  arnOf(name: string): string {
    const version = this.versions[name];
    if (!version || !(name in this.options.secrets)) throw new Error(`No local secret named ${name}`);
    return `${this.partialArn(name)}-${version.suffix}`;
  }

  /**
   * Fault hook: the next `count` GetSecretValue calls answer `code` (InternalServiceError, HTTP 500,
   * by default). The SDK retries a 500 on its own (three attempts by default), so one SDK call can
   * use up to three faults.
   */
  failNext(count: number, code = 'InternalServiceError', message = 'An error occurred on the server side.'): void {
    this.faults = { remaining: count, code, message };
  }

  /** GetSecretValue calls answered so far, faults included. */
  callCount(): number {
    return this.calls;
  }

  /** Runs one operation named by X-Amz-Target; undefined when there is no such operation. */
  handle(operation: string, body: Json): Json | undefined {
    return operation === 'GetSecretValue' ? this.getSecretValue(body) : undefined;
  }

  getSecretValue(body: Json): Json {
    this.calls += 1;
    if (this.faults.remaining > 0) {
      this.faults.remaining -= 1;
      throw new AwsServiceError(this.faults.code, this.faults.message, this.faults.code === 'InternalServiceError' ? 500 : 400);
    }
    const v = new Violations();
    if (v.required('secretId', body.SecretId)) v.string('secretId', body.SecretId, { min: 1, max: 2048 });
    v.string('versionId', body.VersionId, { min: 32, max: 64 });
    v.string('versionStage', body.VersionStage, { min: 1, max: 256 });
    // A request that breaks a model constraint is a ValidationException here, not the documented
    // InvalidParameterException: users get "ValidationException: 1 validation error detected ..."
    // from GetSecretValue (https://github.com/pulumi/pulumi-aws/issues/1613,
    // https://github.com/aws/aws-sdk-js-v3/issues/1215); the Common Errors page lists it as 400.
    const message = v.message();
    if (message) throw new AwsServiceError('ValidationException', message);

    const name = this.find(body.SecretId as string);
    if (name === undefined) throw new AwsServiceError('ResourceNotFoundException', NOT_FOUND);
    const version = this.versions[name]!;
    // One version per secret here, labelled AWSCURRENT; asking for another finds nothing.
    if (body.VersionId !== undefined && body.VersionId !== version.versionId) {
      throw new AwsServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${body.VersionId as string}`);
    }
    if (body.VersionStage !== undefined && body.VersionStage !== 'AWSCURRENT') {
      throw new AwsServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${body.VersionStage as string}`);
    }
    return {
      ARN: this.arnOf(name),
      Name: name,
      VersionId: version.versionId,
      SecretString: this.options.secrets[name],
      VersionStages: ['AWSCURRENT'],
      CreatedDate: epochSeconds(version.created),
    };
  }

  private find(secretId: string): string | undefined {
    for (const name of Object.keys(this.options.secrets)) {
      if (secretId === name || secretId === this.arnOf(name) || secretId === this.partialArn(name)) return name;
    }
    return undefined;
  }

  private partialArn(name: string): string {
    return `arn:aws:secretsmanager:${this.options.region}:${this.options.accountId}:secret:${name}`;
  }
}

/**
 * A secret value kept in a file: read when it exists, otherwise 32 random bytes, hex, written with
 * owner-only permissions. The runtime keeps the link-signing secret this way, so links in mail
 * already sent stay valid across restarts.
 */
export function loadOrCreateSecretFile(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

function randomSuffix(): string {
  const bytes = randomBytes(6);
  return Array.from(bytes, (b) => SUFFIX_CHARS[b % SUFFIX_CHARS.length]).join('');
}
