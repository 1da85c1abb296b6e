/** Synthesizing the stack with fixture handlers, and reading its template: shared by the CDK assertion files. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';
import type { FollowthroughStack } from '../../infra/stack.js';

process.env.CDK_DISABLE_CLI_TELEMETRY = '1';
process.env.CDK_DISABLE_VERSION_CHECK = '1';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '../..');
export const FIXTURES = path.join(HERE, 'fixtures');
export const ENTRIES = {
  api: path.join(FIXTURES, 'api.ts'),
  fire: path.join(FIXTURES, 'fire.ts'),
  events: path.join(FIXTURES, 'events.ts'),
  render: path.join(FIXTURES, 'render.ts'),
  sweep: path.join(FIXTURES, 'sweep.ts'),
};
/** The context the CLI would pass: cdk.json (feature flags and defaults) plus the required sender. */
export const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
}).context;
export const BASE_CONTEXT = { ...CDK_JSON_CONTEXT, senderEmail: 'followthrough@sales.example.com' };
export const SYNTH_TIMEOUT = 120_000;

const outdirs: string[] = [];
/** Removes every synth output directory made so far: call it from the test file's afterAll. */
export function removeOutdirs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function newOutdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'followthrough-cdk-'));
  outdirs.push(dir);
  return dir;
}

export function build(context: Record<string, unknown> = {}): { stack: FollowthroughStack; synth: () => Template; outdir: string } {
  const outdir = newOutdir();
  const { app, stack } = buildApp({ outdir, context: { ...BASE_CONTEXT, ...context }, entries: ENTRIES });
  return {
    stack,
    outdir,
    synth: () => {
      app.synth();
      return Template.fromStack(stack);
    },
  };
}

export function synth(context: Record<string, unknown> = {}): { stack: FollowthroughStack; template: Template; outdir: string } {
  const built = build(context);
  return { stack: built.stack, outdir: built.outdir, template: built.synth() };
}

export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

export type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string; Sid?: string };

/** Every statement of the identity policies attached to a role (by the role's logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
  );
}

export function actionsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
}

export function policyOfRole(template: Template, roleLogicalId: string): { statements: Statement[]; actions: string[] } {
  const statements = statementsOfRole(template, roleLogicalId);
  return { statements, actions: actionsOf(statements) };
}

/** The statement with this Sid, which must exist. */
export function statementWithSid(statements: Statement[], sid: string): Statement {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(statements)}`);
  return found;
}

export function resourceOf(template: Template, logicalId: string): { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; DependsOn?: unknown } {
  const resource = template.toJSON().Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource;
}

export const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });

export function environmentOf(template: Template, functionLogicalId: string): Record<string, unknown> {
  const fn = template.toJSON().Resources[functionLogicalId] as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  };
  return fn.Properties.Environment.Variables;
}

export const FUNCTION_NAMES = ['api', 'fire', 'events', 'render', 'sweep'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export function functionsOf(stack: FollowthroughStack): Record<FunctionName, FollowthroughStack['apiFunction']> {
  return {
    api: stack.apiFunction,
    fire: stack.fireFunction,
    events: stack.eventsFunction,
    render: stack.renderFunction,
    sweep: stack.sweepFunction,
  };
}

/** `Fn::Select` of the UUID in the stack's ARN, as the stack writes it into names unique per stack creation. */
export const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
