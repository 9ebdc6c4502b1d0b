import { useI18n } from '../i18n/I18nProvider.tsx';
import { LANGUAGES } from '../i18n/messages.ts';

export function LanguageSwitch({ className }: { className?: string }) {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className={`lang-switch${className ? ` ${className}` : ''}`} role="group" aria-label={t('common.language')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          className="lang-switch__option"
          aria-pressed={language === lang}
          title={t(lang === 'id' ? 'common.language_id' : 'common.language_en')}
          onClick={() => setLanguage(lang)}
        >
          {lang.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
