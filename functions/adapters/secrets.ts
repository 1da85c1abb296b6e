/** The link-signing secret: from Secrets Manager on AWS (read once per cold start). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export async function loadSecret(arn: string, client = new SecretsManagerClient({})): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString) throw new Error(`Secret ${arn} has no string value`);
  return out.SecretString;
}

/** SES gives each email the Message-ID <MessageId@domain>; the domain depends on the region. */
export function sesMessageIdDomain(region = process.env.AWS_REGION ?? 'us-east-1'): string {
  return region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
}
