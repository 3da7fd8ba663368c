/** The page's locale, as the server rendered it into <html lang>, and its translator for the client. */
import { DEFAULT_LOCALE, isLocale, type Locale, translator } from '../i18n.js';

const lang = document.documentElement.lang;
export const locale: Locale = isLocale(lang) ? lang : DEFAULT_LOCALE;
export const t = translator(locale);
