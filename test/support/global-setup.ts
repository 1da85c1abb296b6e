/**
 * Starts DynamoDB Local (in memory) and the local SES endpoint once for the whole run, on free
 * loopback ports, and hands their endpoints to the tests.
 */
import '../../functions/local/quiet-warnings.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTemplates } from '../../scripts/build-templates.js';
import { buildWeb } from '../../scripts/build-web.js';
import { freePort, startDynamo, type LocalDynamo } from '../../functions/local/dynamo.js';
import { startSes, type LocalSes } from '../../functions/local/ses.js';

let dynamo: LocalDynamo | undefined;
let ses: LocalSes | undefined;
let scratch: string | undefined;

export async function setup(project: TestProject) {
  buildTemplates();
  // The console the browser tests open, and the assets the unit tests read (npm test builds them too).
  await buildWeb();
  dynamo = await startDynamo({ port: await freePort() });
  ses = await startSes(await freePort());
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  // Link keys and other files the runtimes write, in one folder that goes when the run ends.
  scratch = mkdtempSync(join(tmpdir(), 'followthrough-test-'));
  project.provide('scratchDir', scratch);
}

export async function teardown() {
  await ses?.stop();
  await dynamo?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
    scratchDir: string;
  }
}
