import { de } from './de';
import { en, type MessageKey } from './en';

export type { MessageKey } from './en';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en, de };

/** 'de-DE', 'de_AT', 'DE' → 'de'; anything we have no catalogue for → the fallback. */
export function pickLocale(tag: string | null | undefined, fallback: Locale): Locale {
  const base = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(base ?? '') ? (base as Locale) : fallback;
}

type Vars = Record<string, string | number>;

function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The text for `key` in `locale`, `{name}` filled from `vars`. */
export function t(locale: Locale, key: MessageKey, vars: Vars = {}): string {
  return fill(CATALOGUES[locale][key], vars);
}

type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.one` ? B : never) : never;

/** `${base}.one` or `${base}.other` by the language's plural rule for `count`, with `{count}` filled. */
export function tn(locale: Locale, base: PluralBase, count: number, vars: Vars = {}): string {
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return t(locale, `${base}.${form}` as MessageKey, { count, ...vars });
}

/** The `dashboard.*` texts of one language, for the browser. */
export function dashboardCatalogue(locale: Locale): Record<string, string> {
  return Object.fromEntries(Object.entries(CATALOGUES[locale]).filter(([key]) => key.startsWith('dashboard.')));
}
