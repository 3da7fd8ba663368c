/** The UI's locales and translator: zh-CN by default (operators are Chinese county staff), and English. */
import { en } from './i18n/en.js';
import { type MessageKey, zh } from './i18n/zh-cn.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export type { MessageKey };

const TABLES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A translator for one locale; `{name}` placeholders are filled from `vars`. */
export function translator(
  locale: Locale,
): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const table = TABLES[locale];
  return (key, vars) => {
    const text = table[key];
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : String(vars[name]),
    );
  };
}

export type Translate = ReturnType<typeof translator>;

/** Whether a computed key (a rule id from the server, say) has a string, before asking for it. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zh, key);
}
