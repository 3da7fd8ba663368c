/** The web pages served by the API process: sign-in, alert board, devices, coverage, and their assets. */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { pushRoutes } from '../api/push-routes.js';
import type { PushSubscriptions } from '../api/push-subscriptions.js';
import { sessionRoutes } from '../api/session-routes.js';
import type { UserStore } from '../api/users.js';
import { type AssetName, createAssets } from './assets.js';
import { translator } from './i18n.js';
import type { PageProps } from './layout.js';
import { pickLocale } from './locale.js';
import { AlertsPage } from './pages/alerts.js';
import { CoveragePage } from './pages/coverage.js';
import { DevicesPage } from './pages/devices.js';
import { InboxPage, MaintenancePage } from './pages/maintenance.js';
import { SchemesPage } from './pages/schemes.js';
import { SignInPage } from './pages/sign-in.js';
import { type UiApiDeps, uiApiRoutes } from './ui-api.js';

export type WebDeps = UiApiDeps & {
  /** Serve the demo inbox page (/demo/inbox) when the registry enables it. */
  demoInbox?: boolean;
  users?: UserStore;
  /** Web Push: the VAPID public key the browser subscribes with, and where subscriptions are kept. */
  push?: { publicKey: string; subscriptions: PushSubscriptions };
};

/**
 * Pages carry no data and need no key: the client script asks the JSON API with the person's session
 * cookie (HttpOnly, so no script reads it) or a key kept in sessionStorage, so a page's HTML is the
 * same for everyone.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    "connect-src 'self'; media-src 'self' data: blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function webRoutes(deps: WebDeps): Hono {
  const app = new Hono();
  const assets = createAssets();

  const page = (c: Context, render: (p: PageProps) => Child) => {
    const locale = pickLocale(c);
    const body = html`<!doctype html>${render({ locale, t: translator(locale) })}`;
    return c.html(body, 200, PAGE_HEADERS);
  };

  app.get('/', (c) => page(c, (p) => <SignInPage {...p} />));
  app.get('/alerts', (c) => page(c, (p) => <AlertsPage {...p} />));
  app.get('/devices', (c) => page(c, (p) => <DevicesPage {...p} />));
  app.get('/maintenance', (c) => page(c, (p) => <MaintenancePage {...p} />));
  if (deps.demoInbox) app.get('/demo/inbox', (c) => page(c, (p) => <InboxPage {...p} />));
  app.get('/schemes', (c) => page(c, (p) => <SchemesPage {...p} />));
  app.get('/coverage', (c) =>
    page(c, (p) => {
      const file = deps.registry().file;
      // The English pages use nameEn where the registry has one.
      const name = (x: { name: string; nameEn?: string }) =>
        p.locale === 'en' ? (x.nameEn ?? x.name) : x.name;
      const counties = file.counties.map((x) => ({ id: x.id, name: name(x) }));
      return <CoveragePage {...p} year={file.targets.year} counties={counties} region={file.region.id} />;
    }),
  );

  // The service worker at the root, so its scope covers every page (Service Workers §scope).
  app.get('/sw.js', async (c) => {
    const asset = await assets.get('sw.js');
    return c.body(asset.body, 200, {
      'content-type': asset.type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/assets/:name', async (c) => {
    const name = c.req.param('name');
    if (name !== 'app.js' && name !== 'app.css') return c.notFound();
    const asset = await assets.get(name as AssetName);
    // Revalidated on every load (cheap 304s on a closed network) so a restarted server's new bundle is
    // picked up at once without versioned file names.
    const headers = {
      etag: asset.etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    };
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
    return c.body(asset.body, 200, { ...headers, 'content-type': asset.type });
  });

  if (deps.push && deps.auth)
    app.route('/ui/push', pushRoutes({ ...deps.push, auth: deps.auth, clock: deps.clock ?? Date.now }));
  if (deps.users && deps.auth)
    app.route('/ui', sessionRoutes({ users: deps.users, clock: deps.clock ?? Date.now, auth: deps.auth }));
  app.route('/ui', uiApiRoutes(deps));
  return app;
}
