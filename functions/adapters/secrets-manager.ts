/**
 * The link-signing secret from Secrets Manager, fetched on first use and kept once fetched. A
 * failed fetch is not kept: the next call tries again, so one transient GetSecretValue error does
 * not break every later invocation on the same container.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../ports/links.js';

export class SecretsManagerSecret implements SecretSource {
  private pending?: Promise<string>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  get(): Promise<string> {
    this.pending ??= this.fetch().catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }

  private async fetch(): Promise<string> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!out.SecretString) throw new Error(`Secret ${this.secretId} has no string value`);
    return out.SecretString;
  }
}
