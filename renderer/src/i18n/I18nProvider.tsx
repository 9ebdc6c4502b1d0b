import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setRequestLanguage } from '../api/client.ts';
import { setMoneyLanguage } from '../format/rupiah.ts';
import { LANGUAGES, interpolate, lookup, type Language, type MessageKey, type Vars } from './messages.ts';

const STORAGE_KEY = 'klustera.language';

export interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  /** A known key: checked by tsc. */
  t: (key: MessageKey, vars?: Vars) => string;
  /** A key built at run time (an error code, an enum value); `fallback` is shown when no dictionary has it. */
  tDynamic: (key: string, fallback: string, vars?: Vars) => string;
  /** BCP 47 tag for Intl: dates and money follow the language (see format/). */
  locale: string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  const language = (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'id';
  // Before any page's first request: children's effects run before this provider's own.
  setRequestLanguage(language);
  setMoneyLanguage(language);
  return language;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setRequestLanguage(next);
    setMoneyLanguage(next);
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      locale: language === 'id' ? 'id-ID' : 'en-GB',
      t: (key, vars) => interpolate(lookup(language, key) ?? key, vars),
      tDynamic: (key, fallback, vars) => interpolate(lookup(language, key) ?? fallback, vars),
    }),
    [language, setLanguage],
  );

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
