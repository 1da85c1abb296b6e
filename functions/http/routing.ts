/**
 * Which function serves each route and whether it needs a token: the table the stack's HTTP API is
 * built from (infra/constructs/api.ts) and the local runtime routes by, so both agree. A path that
 * is not here answers 404 from the api function, before any token check.
 */
export type RouteTarget = 'api' | 'render';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route syntax: {name} for one segment, {proxy+} for the rest of the path. */
  path: string;
  target: RouteTarget;
  /** Public routes carry no rep data or check their own signed token. */
  auth: boolean;
}

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/health', target: 'api', auth: false },
  { method: 'PUT', path: '/v1/reps/me', target: 'api', auth: true },
  { method: 'GET', path: '/v1/reps/me', target: 'api', auth: true },
  { method: 'GET', path: '/v1/prospects', target: 'api', auth: true },
  { method: 'POST', path: '/v1/prospects', target: 'api', auth: true },
  { method: 'GET', path: '/v1/prospects/{id}', target: 'api', auth: true },
  { method: 'PATCH', path: '/v1/prospects/{id}', target: 'api', auth: true },
  { method: 'POST', path: '/v1/prospects/{id}/calls', target: 'api', auth: true },
  { method: 'GET', path: '/v1/prospects/{id}/preview', target: 'render', auth: true },
  { method: 'GET', path: '/v1/followups', target: 'api', auth: true },
  { method: 'PATCH', path: '/v1/touches/{id}', target: 'api', auth: true },
  { method: 'DELETE', path: '/v1/touches/{id}', target: 'api', auth: true },
  { method: 'POST', path: '/v1/touches/{id}/retry', target: 'api', auth: true },
  { method: 'GET', path: '/v1/unsubscribe', target: 'api', auth: false },
  { method: 'POST', path: '/v1/unsubscribe', target: 'api', auth: false },
  { method: 'GET', path: '/v1/sheets/{token}', target: 'render', auth: false },
  { method: 'GET', path: '/app', target: 'render', auth: false },
  { method: 'GET', path: '/app/{proxy+}', target: 'render', auth: false },
  { method: 'GET', path: '/v1/openapi.json', target: 'api', auth: true },
  { method: 'GET', path: '/v1/reports/promises', target: 'api', auth: true },
  { method: 'GET', path: '/v1/reports/scripts', target: 'api', auth: true },
];

function pattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment === '{proxy+}' ? '.+' : /^\{\w+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

const compiled = ROUTES.map((route) => ({ route, re: pattern(route.path) }));

/**
 * The route a request matches, as API Gateway picks it; `methods` lists what the path takes when
 * the method does not match (405), and both are empty for an unknown path.
 */
export function matchRoute(method: string, path: string): { route?: RouteSpec; methods: string[] } {
  const matching = compiled.filter((c) => c.re.test(path));
  const route = matching.find((c) => c.route.method === method.toUpperCase())?.route;
  return { ...(route ? { route } : {}), methods: matching.map((c) => c.route.method) };
}
