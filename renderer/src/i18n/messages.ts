import * as id from './id/index.ts';
import * as en from './en/index.ts';

/**
 * Bahasa Indonesia is the source language: its dictionaries define which keys exist, and every other language must
 * have the same namespaces and keys (the `satisfies` in each en/<feature>.ts and the check below make tsc say so).
 */
export type Catalog = { [N in keyof typeof id]: Record<keyof (typeof id)[N], string> };
export type Namespace = keyof Catalog;
export type MessageKey = { [N in Namespace]: `${N}.${Extract<keyof Catalog[N], string>}` }[Namespace];

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const catalogs: Record<Language, Catalog> = { id, en };

/** Same keys, other language: used by each en/<feature>.ts as `satisfies Translation<typeof idFeature>`. */
export type Translation<Source> = Record<keyof Source, string>;

export type Vars = Record<string, string | number>;

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * Text for a server error code: `errors.<CODE>`, else `error_<CODE>` in any feature dictionary, so a feature (billing,
 * gate) brings its own codes without editing the shared errors file.
 */
export function lookupError(language: Language, code: string): string | null {
  const shared = lookup(language, `errors.${code}`);
  if (shared) return shared;
  for (const lang of [language, 'id'] as const) {
    for (const dict of Object.values(catalogs[lang]) as Record<string, string>[]) {
      const text = dict[`error_${code}`];
      if (typeof text === 'string') return text;
    }
  }
  return null;
}

/** Looks a dotted key up, falling back to Indonesian and then to null (callers decide what a miss shows). */
export function lookup(language: Language, key: string): string | null {
  const dot = key.indexOf('.');
  if (dot < 0) return null;
  const namespace = key.slice(0, dot);
  const name = key.slice(dot + 1);
  for (const lang of [language, 'id'] as const) {
    const dict = (catalogs[lang] as Record<string, Record<string, string> | undefined>)[namespace];
    const text = dict?.[name];
    if (typeof text === 'string') return text;
  }
  return null;
}
