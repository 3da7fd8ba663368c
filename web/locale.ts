/** Which locale a page is rendered in: `?lang=` (remembered in a cookie), else the cookie, else zh-CN. */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DEFAULT_LOCALE, isLocale, type Locale } from './i18n.js';

export const LOCALE_COOKIE = 'wl-lang';

/** Chinese by default whatever the browser asks for: the operators are county staff in China. */
export function pickLocale(c: Context): Locale {
  const asked = c.req.query('lang');
  if (isLocale(asked)) {
    setCookie(c, LOCALE_COOKIE, asked, { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400 });
    return asked;
  }
  const saved = getCookie(c, LOCALE_COOKIE);
  return isLocale(saved) ? saved : DEFAULT_LOCALE;
}

export function otherLocale(locale: Locale): Locale {
  return locale === 'en' ? 'zh-CN' : 'en';
}
