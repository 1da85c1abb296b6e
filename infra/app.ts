import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseConfig } from './config.js';
import { FollowthroughStack, type HandlerEntries } from './stack.js';

export interface BuildAppOptions extends AppProps {
  /** Override handler files, e.g. fixtures in tests. */
  readonly entries?: Partial<HandlerEntries>;
  /** Modules left out of every bundle. @default [] (bundle everything) */
  readonly externalModules?: readonly string[];
}

/**
 * The followthrough CDK app: reads and validates context, adds the stack, and registers the cdk-nag
 * AwsSolutions checks, so any unacknowledged finding fails synth.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: FollowthroughStack } {
  const { entries, externalModules, ...appProps } = options;
  const app = new App(appProps);
  const config = parseConfig((key) => app.node.tryGetContext(key));
  const stack = new FollowthroughStack(app, 'Followthrough', {
    config,
    description: 'followthrough: follow-up cadence scheduler (HTTP API, DynamoDB, EventBridge Scheduler, SES)',
    ...(entries ? { entries } : {}),
    ...(externalModules ? { externalModules } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
