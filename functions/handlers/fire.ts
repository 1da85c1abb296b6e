/** Lambda entry that EventBridge Scheduler invokes (asynchronously) with a touch's payload at its due time. */
import { dynamoStore, powertoolsLogger, sesMailer, signedLinks, smsSender } from '../adapters/aws-ports.js';
import { fireUseCases } from '../compose.js';
import { FirePayload } from '../core/fire-payload.js';
import { templateLibrary } from '../core/templates.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings, type Env } from '../settings.js';

export function createHandler(env: Env = process.env, clock: Clock = systemClock) {
  const settings = loadSettings(env, 'fire');
  const logger = powertoolsLogger();
  const ports = { store: dynamoStore(settings), mailer: sesMailer(settings), sms: smsSender(settings), links: signedLinks(settings), clock, logger };
  const { fireTouch } = fireUseCases(settings, { ...ports, library: templateLibrary() });
  return async (event: unknown) => {
    const payload = FirePayload.safeParse(event);
    if (!payload.success) {
      // Retrying cannot fix a malformed payload: log it and let the invocation succeed.
      logger.error('fire payload is not valid; dropped', { payload: event as Record<string, unknown> });
      return { result: 'ignored' as const, reason: 'invalid payload' };
    }
    const result = await fireTouch(payload.data);
    logger.info('fired', { ...result });
    return result;
  };
}

export const handler = createHandler();
