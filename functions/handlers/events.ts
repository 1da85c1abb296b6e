/** Lambda entry for SES events delivered by EventBridge: bounces, complaints, and the Send event of each email. */
import { dynamoStore, powertoolsLogger, touchScheduler } from '../adapters/aws-ports.js';
import { eventsUseCases } from '../compose.js';
import { SesEventSchema } from '../core/ses-event.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings, type Env } from '../settings.js';

export function createHandler(env: Env = process.env, clock: Clock = systemClock) {
  const settings = loadSettings(env, 'events');
  const logger = powertoolsLogger();
  // The rep's notice is a touch like any other: scheduled now, sent by the fire function.
  const { handleSesEvent } = eventsUseCases(settings, { store: dynamoStore(settings), scheduler: touchScheduler(settings, clock), clock, logger });
  return async (event: unknown) => {
    const parsed = SesEventSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn('not an SES event we understand; ignored', { issues: parsed.error.issues.length });
      return { result: 'ignored' as const, reason: 'not an SES bounce or complaint event' };
    }
    return handleSesEvent(parsed.data);
  };
}

export const handler = createHandler();
