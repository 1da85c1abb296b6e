/**
 * Lambda entry for the sweep: the recurring schedule's run (every 5 minutes) and the SQS batches of
 * the fire function's on-failure records (ReportBatchItemFailures: only records that failed return).
 */
import { dynamoStore, powertoolsLogger, touchScheduler } from '../adapters/aws-ports.js';
import { sweepUseCases } from '../compose.js';
import { SqsBatch, SweepRun } from '../core/failure.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings, type Env } from '../settings.js';

export function createHandler(env: Env = process.env, clock: Clock = systemClock) {
  const settings = loadSettings(env, 'sweep');
  const logger = powertoolsLogger();
  const { sweep, recordFireFailures } = sweepUseCases(settings, { store: dynamoStore(settings), scheduler: touchScheduler(settings, clock), clock, logger });
  return async (event: unknown) => {
    const batch = SqsBatch.safeParse(event);
    if (batch.success) return recordFireFailures(batch.data);
    const run = SweepRun.safeParse(event);
    if (!run.success) {
      logger.warn('neither a sweep run nor an SQS batch; ignored', { issues: run.error.issues.length });
      return { result: 'ignored' as const };
    }
    const result = await sweep(run.data);
    // A run that could not repair everything fails, so the sweep-failing alarm sees it.
    if (result.errors > 0) throw new Error(`the sweep could not repair ${result.errors} of ${result.overdue} overdue touches; see the log`);
    return result;
  };
}

export const handler = createHandler();
