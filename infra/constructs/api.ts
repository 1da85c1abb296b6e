import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/http/routing.js';
import type { JwtConfig } from '../config.js';

/**
 * Why each public route answers without a token (every route and its function come from the route table both the
 * stack and the local runtime use, functions/http/routing.ts).
 */
export const PUBLIC_ROUTE_REASONS: Readonly<Record<string, string>> = {
  'GET /v1/health': 'carries no data',
  'GET /v1/unsubscribe': 'checks its own signed token',
  'POST /v1/unsubscribe': 'checks its own signed token (RFC 8058 one-click)',
  'GET /v1/sheets/{token}': 'checks its own signed token',
  'GET /app': 'serves the console page, which holds no rep data',
  'GET /app/{proxy+}': 'serves the console assets and /app/config.json (public sign-in settings); rep data comes from /v1 with a token',
};

/** Where the console takes the authorization code, and where sign-out returns to, under the API's URL. */
export const CONSOLE_CALLBACK_PATH = '/app/callback';
export const CONSOLE_SIGN_OUT_PATH = '/app/';

export interface ApiProps {
  /** The function behind every route but the rendering ones. */
  readonly handler: IFunction;
  /** The function behind previews, sheets and the console, which carries the templates. */
  readonly renderHandler: IFunction;
  /** An external issuer; when absent a Cognito user pool and app client are made. */
  readonly jwt?: JwtConfig;
  /** @default 50 requests per second */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
}

/**
 * The HTTP API: every route of the route table (functions/http/routing.ts), behind a JWT authorizer (Cognito by
 * default) where it needs a token, public where it does not (the rep console among them), anything else to the api
 * function for its 404, and a throttled `$default` stage with access logs. Without an external issuer it makes the
 * Cognito user pool, a public app client for the console (authorization code with PKCE, no secret) and a Cognito
 * domain for the hosted sign-in.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  readonly userPoolDomain?: UserPoolDomain;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Made first: the app client's callback URL needs its address. That is no cycle: the client depends on the API,
    // the authorizer on the client, the routes on the authorizer, and the API itself on none of them.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${stack.stackName}-api`,
      description: 'followthrough HTTP API v1',
      createDefaultStage: false,
    });
    // The $default stage is served at the root: https://<api id>.execute-api.<region>.amazonaws.com
    const origin = this.httpApi.apiEndpoint;

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
      // A public client (it runs in the browser and could not keep a secret) with the authorization code grant, for
      // which Cognito supports PKCE; the implicit grant, which hands tokens over in the URL, is off (Cognito Developer
      // Guide, "User pool app clients: app client types" and "OAuth 2.0 grants").
      const userPoolClient = userPool.addClient('Client', {
        generateSecret: false,
        // SRP for apps; admin password auth lets an operator with IAM rights mint a rep's token from the CLI.
        authFlows: { userSrp: true, adminUserPassword: true },
        preventUserExistenceErrors: true,
        oAuth: {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls: [`${origin}${CONSOLE_CALLBACK_PATH}`],
          logoutUrls: [`${origin}${CONSOLE_SIGN_OUT_PATH}`],
        },
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        // A rep's working day on one sign-in: the console keeps no refresh token (nothing long-lived in the
        // browser), so the access token it holds must last a shift. Cognito allows 5 minutes to 1 day.
        accessTokenValidity: Duration.hours(10),
        idTokenValidity: Duration.hours(10),
      });
      // A prefix domain must be unique in the region across all accounts; the stack's creation UUID makes it so
      // without asking the deployer to pick one. The classic hosted UI needs no branding resource.
      this.userPoolDomain = userPool.addDomain('Domain', {
        cognitoDomain: { domainPrefix: `followthrough-${Fn.select(2, Fn.split('/', stack.stackId))}` },
        managedLoginVersion: ManagedLoginVersion.CLASSIC_HOSTED_UI,
      });
      issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${userPool.userPoolId}`;
      audience = [userPoolClient.userPoolClientId];
      this.userPool = userPool;
      this.userPoolClient = userPoolClient;
    }

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', issuer, { jwtAudience: audience });
    const integrations = {
      api: new HttpLambdaIntegration('ApiIntegration', props.handler),
      render: new HttpLambdaIntegration('RenderIntegration', props.renderHandler),
    };
    // Every route of the table, with the authorizer where it needs a token.
    for (const route of ROUTES) {
      const method = route.method as HttpMethod;
      const [created] = this.httpApi.addRoutes({ path: route.path, methods: [method], integration: integrations[route.target], ...(route.auth ? { authorizer } : {}) });
      if (created && !route.auth) acknowledgePublicRoute(created, { method, path: route.path, why: PUBLIC_ROUTE_REASONS[`${route.method} ${route.path}`] ?? 'carries no rep data' });
    }
    // A path (or method) no route names goes to the api function without a token, as on the local runtime: it answers
    // 404 or 405 (a not-found page for a browser) rather than 401 or API Gateway's bare {"message":"Not Found"}.
    const fallback = new HttpRoute(this, 'DefaultRoute', { httpApi: this.httpApi, routeKey: HttpRouteKey.DEFAULT, integration: integrations.api });
    acknowledgePublicRoute(fallback, { method: HttpMethod.ANY, path: '$default', why: 'answers 404 or 405 for paths and methods no route names, and reads no data' });

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

  /** The rep console's address. */
  get consoleUrl(): string {
    return `${this.httpApi.apiEndpoint}/app`;
  }
}

function acknowledgePublicRoute(route: HttpRoute, { method, path, why }: { method: HttpMethod; path: string; why: string }): void {
  Validations.of(route).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason: `${method} ${path} is public by design: it ${why}.`,
  });
}
