/**
 * The console's page addresses under /app, shared by the page (web/src/router.tsx routes with it) and
 * the server (functions/http/console.ts answers 404 for an address no page has). Pure: no DOM, no I/O.
 */
export type ConsoleRoute =
  | { name: 'today' }
  | { name: 'prospects' }
  | { name: 'prospect'; id: string }
  | { name: 'reports' }
  | { name: 'profile' }
  | { name: 'callback' }
  | { name: 'not-found'; path: string };

export function consoleRoute(pathname: string): ConsoleRoute {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/app') return { name: 'today' };
  if (path === '/app/prospects') return { name: 'prospects' };
  if (path === '/app/reports') return { name: 'reports' };
  if (path === '/app/profile') return { name: 'profile' };
  if (path === '/app/callback') return { name: 'callback' };
  const prospect = /^\/app\/prospects\/([^/]+)$/.exec(path);
  if (prospect) {
    try {
      return { name: 'prospect', id: decodeURIComponent(prospect[1]!) };
    } catch {
      return { name: 'not-found', path };
    }
  }
  return { name: 'not-found', path };
}
