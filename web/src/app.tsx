/**
 * The console's shell: settings, sign-in state, the rep's profile, the navigation and the page for the
 * address. Signed out, any address shows sign-in and, once signed in, the page asked for.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleConfig } from '../../functions/http/console-config.js';
import { ApiError, get, whenUnauthorized, type Rep } from './api.js';
import { completeCognitoSignIn, currentToken, forgetToken, loadConfig, signOut } from './auth.js';
import { ProfilePage } from './pages/profile.js';
import { ProspectPage } from './pages/prospect.js';
import { ProspectsPage } from './pages/prospects.js';
import { ReportsPage } from './pages/reports.js';
import { SignInPage } from './pages/sign-in.js';
import { TodayPage } from './pages/today.js';
import { Link, matchRoute, navigate, useLocation, type Route } from './router.js';
import { ErrorNotice, Loading, PageTitle, useResource } from './ui.js';

export function App() {
  const config = useResource(loadConfig, 'config');
  const [token, setToken] = useState(currentToken);
  const [signInError, setSignInError] = useState<Error>();
  const [expired, setExpired] = useState(false);
  const { pathname } = useLocation();
  const route = matchRoute(pathname);

  // A 401 means the token expired or was revoked: forget it (a reload must not bring it back) and say so.
  useEffect(
    () =>
      whenUnauthorized(() => {
        forgetToken();
        setExpired(true);
        setToken(undefined);
      }),
    [],
  );
  const signedIn = () => {
    setExpired(false);
    setToken(currentToken());
    // The next page's heading takes focus: the sign-in form the keyboard was in is gone.
    document.body.dataset.navigated = 'yes';
  };

  // Coming back from the Cognito hosted UI with ?code=.
  useEffect(() => {
    const cfg = config.data;
    if (cfg?.signIn !== 'cognito') return;
    completeCognitoSignIn(cfg, new URL(location.href)).then(
      (next) => {
        if (!next) return;
        setToken(currentToken());
        navigate(next, { replace: true });
      },
      (error: Error) => setSignInError(error),
    );
  }, [config.data]);

  if (config.error) return <Frame><ErrorNotice error={config.error} onRetry={config.reload} /></Frame>;
  if (!config.data) return <Frame><Loading what="the console" /></Frame>;
  if (!token) {
    // An address no page has is not found whether or not anyone is signed in.
    if (route.name === 'not-found') return <Frame><NotFound path={route.path} /></Frame>;
    return (
      <Frame>
        <SignInPage config={config.data} error={signInError} expired={expired} onSignedIn={signedIn} />
      </Frame>
    );
  }
  return <SignedIn config={config.data} route={route} onSignOut={() => setToken(undefined)} />;
}

function SignedIn({ config, route, onSignOut }: { config: ConsoleConfig; route: Route; onSignOut: () => void }) {
  const rep = useResource(() => get<Rep>('/v1/reps/me'), 'rep');
  const missingProfile = rep.error instanceof ApiError && rep.error.status === 404;
  const [, setRepVersion] = useState(0);

  const doSignOut = () => {
    signOut(config);
    onSignOut();
    navigate('/app/', { replace: true });
  };

  let page;
  if (rep.loading && !rep.data) page = <Loading what="your profile" />;
  else if (missingProfile || route.name === 'profile') {
    page = (
      <ProfilePage
        rep={rep.data}
        firstTime={missingProfile}
        onSaved={() => {
          rep.reload();
          setRepVersion((v) => v + 1);
          if (missingProfile) navigate('/app/');
        }}
      />
    );
  } else if (rep.error || !rep.data) {
    page = (
      <section>
        <PageTitle title="Not loaded">Your console did not load</PageTitle>
        <ErrorNotice error={rep.error} onRetry={rep.reload} />
      </section>
    );
  }
  else page = <Page route={route} rep={rep.data} />;

  return (
    <Frame
      nav={
        <nav aria-label="Main">
          <ul class="nav-links">
            <NavLink href="/app/" active={!missingProfile && (route.name === 'today' || route.name === 'callback')}>Today</NavLink>
            <NavLink href="/app/prospects" active={!missingProfile && (route.name === 'prospects' || route.name === 'prospect')}>Prospects</NavLink>
            <NavLink href="/app/reports" active={!missingProfile && route.name === 'reports'}>Reports</NavLink>
            <NavLink href="/app/profile" active={missingProfile || route.name === 'profile'}>Profile</NavLink>
          </ul>
          <button type="button" class="button-quiet" onClick={doSignOut}>
            Sign out
          </button>
        </nav>
      }
      who={rep.data ? `${rep.data.name}${rep.data.company ? `, ${rep.data.company}` : ''}` : undefined}
    >
      {page}
    </Frame>
  );
}

function Page({ route, rep }: { route: Route; rep: Rep }) {
  switch (route.name) {
    case 'today':
    case 'callback':
      return <TodayPage rep={rep} />;
    case 'prospects':
      return <ProspectsPage rep={rep} />;
    case 'prospect':
      return <ProspectPage id={route.id} rep={rep} />;
    case 'reports':
      return <ReportsPage rep={rep} />;
    case 'profile':
      return null;
    case 'not-found':
      return <NotFound path={route.path} />;
  }
}

function NotFound({ path }: { path: string }) {
  return (
    <section>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>
        There is no page at <code>{path}</code>. <Link href="/app/">Go to Today</Link>.
      </p>
    </section>
  );
}

function NavLink({ href, active, children }: { href: string; active: boolean; children: string }) {
  return (
    <li>
      <Link href={href} aria-current={active ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}

function Frame({ children, nav, who }: { children: ComponentChildren; nav?: ComponentChildren; who?: string }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <p class="brand">
            <span class="brand-mark" aria-hidden="true">↻</span> followthrough
          </p>
          {who && <p class="who">Signed in as {who}</p>}
          {nav}
        </div>
      </header>
      <main id="main" class="site-main">
        {children}
      </main>
    </>
  );
}
