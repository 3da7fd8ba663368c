/** The page shell every page shares: head, skip link, header with navigation and language switch. */
import type { Child } from 'hono/jsx';
import type { Locale, MessageKey, Translate } from './i18n.js';
import { otherLocale } from './locale.js';

export type PageName = 'sign-in' | 'alerts' | 'devices' | 'schemes' | 'coverage' | 'maintenance' | 'inbox';

export interface PageProps {
  locale: Locale;
  t: Translate;
}

const NAV: { page: PageName; href: string; label: MessageKey }[] = [
  { page: 'alerts', href: '/alerts', label: 'nav.alerts' },
  { page: 'devices', href: '/devices', label: 'nav.devices' },
  { page: 'schemes', href: '/schemes', label: 'nav.schemes' },
  { page: 'coverage', href: '/coverage', label: 'nav.coverage' },
  { page: 'maintenance', href: '/maintenance', label: 'nav.maintenance' },
];

export function Layout(props: PageProps & { page: PageName; title: string; children?: Child }) {
  const { locale, t, page } = props;
  const other = otherLocale(locale);
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{`${props.title} · ${t('app.short')}`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/app.js" defer />
      </head>
      <body data-page={page}>
        <a class="skip" href="#main">
          {t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href={page === 'sign-in' ? '/' : '/alerts'}>
            <svg class="logo" viewBox="0 0 16 16" width="18" height="18" aria-hidden="true">
              <path d="M8 1C8 1 3 7 3 10a5 5 0 0 0 10 0C13 7 8 1 8 1z" fill="currentColor" />
            </svg>{' '}
            {t('app.name')}
          </a>
          {page === 'sign-in' ? null : (
            <nav aria-label={t('nav.main')} class="nav">
              {NAV.map((n) => (
                <a href={n.href} aria-current={n.page === page ? 'page' : undefined}>
                  {t(n.label)}
                </a>
              ))}
            </nav>
          )}
          <div class="top-end">
            <span id="who" class="who" />
            <a class="lang" href={`?lang=${other}`} lang={other} hreflang={other} title={t('lang.label')}>
              {t('lang.switch')}
            </a>
            {page === 'sign-in' ? null : (
              <>
                <button id="sign-out" type="button" class="link-button">
                  {t('nav.signOut')}
                </button>
                <button id="sign-out-everywhere" type="button" class="link-button" hidden>
                  {t('nav.signOutEverywhere')}
                </button>
              </>
            )}
          </div>
        </header>
        <main id="main" tabindex={-1}>
          <noscript>
            <p class="notice">{t('page.noscript')}</p>
          </noscript>
          {props.children}
        </main>
      </body>
    </html>
  );
}
