import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpRoute, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { JwtConfig } from '../config.js';

/** Routes that answer without a token: health, one-click unsubscribe, signed call-prep sheet links. */
export const PUBLIC_ROUTES: ReadonlyArray<{ method: HttpMethod; path: string; render?: boolean }> = [
  { method: HttpMethod.GET, path: '/v1/health' },
  { method: HttpMethod.GET, path: '/v1/unsubscribe' },
  { method: HttpMethod.POST, path: '/v1/unsubscribe' },
  { method: HttpMethod.GET, path: '/v1/sheets/{token}', render: true },
];

/** Routes that render templates, served by the render function (behind the authorizer). */
export const RENDER_ROUTES: ReadonlyArray<{ method: HttpMethod; path: string }> = [
  { method: HttpMethod.GET, path: '/v1/prospects/{id}/preview' },
];

export interface ApiProps {
  /** The function behind every route but the rendering ones. */
  readonly handler: IFunction;
  /** The function behind previews and sheets, which carries the templates. */
  readonly renderHandler: IFunction;
  /** An external issuer; when absent a Cognito user pool and app client are made. */
  readonly jwt?: JwtConfig;
  /** @default 50 requests per second */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
}

/**
 * The HTTP API: `ANY /v1/{proxy+}` behind a JWT authorizer (Cognito by default), a few public routes, and
 * a throttled `$default` stage with access logs.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    let issuer: string;
    let audience: string[];
    if (props.jwt) {
      issuer = props.jwt.issuer;
      audience = [...props.jwt.audience];
    } else {
      const userPool = new UserPool(this, 'UserPool', {
        selfSignUpEnabled: false,
        signInAliases: { email: true },
        autoVerify: { email: true },
        featurePlan: FeaturePlan.ESSENTIALS,
        passwordPolicy: {
          minLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireDigits: true,
          requireSymbols: true,
        },
        mfa: Mfa.OPTIONAL,
        mfaSecondFactor: { otp: true, sms: false },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(userPool).acknowledge(
        {
          id: 'AwsSolutions-COG2',
          reason:
            'Reps sign in from CRM webhooks and scripts as well as the console; TOTP MFA is offered (optional) rather than forced.',
        },
        {
          id: 'AwsSolutions-COG8',
          reason:
            'Threat protection needs the Cognito Plus feature plan (a per-user charge); operators can switch featurePlan to PLUS. Self sign-up is off and the password policy is strong.',
        },
      );
      const userPoolClient = userPool.addClient('Client', {
        generateSecret: false,
        // SRP for apps; admin password auth lets an operator with IAM rights mint a rep's token from the CLI.
        authFlows: { userSrp: true, adminUserPassword: true },
        preventUserExistenceErrors: true,
      });
      issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${userPool.userPoolId}`;
      audience = [userPoolClient.userPoolClientId];
      this.userPool = userPool;
      this.userPoolClient = userPoolClient;
    }

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audience });
    const integration = new HttpLambdaIntegration('ApiIntegration', props.handler);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${stack.stackName}-api`,
      description: 'followthrough HTTP API v1',
      createDefaultStage: false,
    });

    this.httpApi.addRoutes({
      path: '/v1/{proxy+}',
      methods: [HttpMethod.ANY],
      integration,
      authorizer,
    });
    const renderIntegration = new HttpLambdaIntegration('RenderIntegration', props.renderHandler);
    for (const route of RENDER_ROUTES) {
      this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration: renderIntegration, authorizer });
    }
    for (const route of PUBLIC_ROUTES) {
      const [created] = this.httpApi.addRoutes({ path: route.path, methods: [route.method], integration: route.render ? renderIntegration : integration });
      if (created) acknowledgePublicRoute(created, route);
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });
  }

  /** The invoke URL of the `$default` stage, ending in `/`. */
  get url(): string {
    return this.stage.url;
  }
}

function acknowledgePublicRoute(route: HttpRoute, { method, path }: { method: HttpMethod; path: string }): void {
  Validations.of(route).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `${method} ${path} is public by design (API.md): it carries no rep data or checks its own signed token.`,
  });
}
