/**
 * The application as the bench drives it, from ports: the api routes and the fire use case built
 * by the same composition functions the Lambda handlers use (functions/compose.ts).
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { EventBridgeTouchScheduler } from '../../functions/adapters/eventbridge-scheduler.js';
import { SignedLinks } from '../../functions/adapters/signed-links.js';
import { resolvePolicy } from '../../functions/core/policy.js';
import { LOCAL_SCHEDULE_GROUP, type LocalRuntime } from '../../functions/local/runtime.js';
import { apiUseCases, fireUseCases } from '../../functions/compose.js';
import type { CadencePolicy } from '../../functions/core/cadence.js';
import { CallInput, type ProspectInput, type RepInput } from '../../functions/core/schemas.js';
import { parse } from '../../functions/http/validate.js';
import { templateLibrary } from '../../functions/core/templates.js';
import { apiRoutes } from '../../functions/http/api-routes.js';
import { silentLogger, type Clock, type Logger, type Mailer, type Store, type TouchScheduler } from '../../functions/ports/index.js';
import type { FirePayload } from '../../functions/core/fire-payload.js';

export interface BenchPorts {
  store: Store;
  scheduler: TouchScheduler;
  mailer: Mailer;
  clock: Clock;
  policy: CadencePolicy;
  senderEmail: string;
  logger?: Logger;
}

export function benchApp(ports: BenchPorts) {
  const logger = ports.logger ?? silentLogger;
  const links = new SignedLinks({ get: async () => 'bench-link-secret-0123456789' }, 'http://localhost:3000');
  const settings = { region: 'us-east-1', tableName: 'bench', policy: ports.policy };
  const api = apiUseCases(settings, { store: ports.store, scheduler: ports.scheduler, links, clock: ports.clock, logger });
  const fire = fireUseCases(
    { ...settings, mail: { sender: ports.senderEmail, messageIdDomain: 'email.amazonses.com' } },
    { store: ports.store, mailer: ports.mailer, links, clock: ports.clock, logger, library: templateLibrary() },
  );
  return {
    service: {
      putRep: (repId: string, input: RepInput) => api.saveRep(repId, input),
      createProspect: (repId: string, input: ProspectInput) => api.createProspect(repId, input),
      postCall: (repId: string, prospectId: string, body: unknown) => api.recordCall({ repId, prospectId, call: parse(CallInput, body) }),
    },
    api: apiRoutes(api, logger),
    firer: { fire: (payload: FirePayload) => fire.fireTouch(payload) },
  };
}

/** The application set up against a running local runtime: its table, and its Scheduler endpoint through the real adapter. */
export function benchAppOn(runtime: LocalRuntime, clock: Clock, tableName: string) {
  return benchApp({
    store: new DynamoStore({ client: runtime.dynamo, tableName }),
    scheduler: runtimeScheduler(runtime, clock),
    mailer: { send: () => Promise.reject(new Error('setup does not send')) },
    clock,
    policy: resolvePolicy(),
    senderEmail: runtime.env.SENDER_EMAIL!,
  });
}

/** The real EventBridge Scheduler adapter on the runtime's local Scheduler endpoint. */
export function runtimeScheduler(runtime: LocalRuntime, clock: Clock): EventBridgeTouchScheduler {
  return new EventBridgeTouchScheduler({
    client: new SchedulerClient({ endpoint: runtime.aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
    groupName: runtime.env.SCHEDULE_GROUP!,
    targetArn: runtime.env.FIRE_FUNCTION_ARN!,
    roleArn: runtime.env.SCHEDULER_ROLE_ARN!,
    deadLetterArn: runtime.env.SCHEDULE_DLQ_ARN!,
    now: () => clock.now(),
  });
}

/** The fire payloads of the runtime's pending schedules. */
export function pendingPayloads(runtime: LocalRuntime): FirePayload[] {
  // Touch schedules only: the runtime's sweep has a recurring schedule of its own.
  return runtime.aws.scheduler
    .list()
    .filter((s) => s.group === LOCAL_SCHEDULE_GROUP)
    .map((s) => JSON.parse(s.input) as FirePayload);
}
