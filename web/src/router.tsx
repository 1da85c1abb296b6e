/**
 * Routing with the History API under /app: the server answers index.html for every /app/* path that is
 * not an asset, so deep links such as /app/prospects/dana open the right page.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { consoleRoute, type ConsoleRoute } from '../../functions/http/console-routes.js';

export type Route = ConsoleRoute;

/** The page for an address: the same table the server uses to answer 404 for an unknown one. */
export const matchRoute = consoleRoute;

const CHANGE = 'followthrough:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** The current location (path and hash), following pushState and the back button. */
export function useLocation(): { pathname: string; hash: string } {
  const read = () => ({ pathname: location.pathname, hash: location.hash });
  const [current, setCurrent] = useState(read);
  useEffect(() => {
    const update = () => setCurrent(read());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return current;
}

/** A link that navigates in the page; modified clicks (new tab, download) stay the browser's. */
export function Link(props: { href: string; class?: string; children: ComponentChildren; 'aria-current'?: 'page' | undefined }) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} aria-current={props['aria-current']} onClick={onClick}>
      {props.children}
    </a>
  );
}

export const prospectPath = (id: string) => `/app/prospects/${encodeURIComponent(id)}`;
