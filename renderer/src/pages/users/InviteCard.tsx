import { useState } from 'react';
import type { Invite } from '../../api/types.ts';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

function CopyButton({ text }: { text: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn--ghost btn--small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} size={16} />
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}

/** What the treasurer passes on: the code to type, the link to open, and a ready WhatsApp message. */
export function InviteCard({ name, invite }: { name: string; invite: Invite }) {
  const { t } = useI18n();
  return (
    <section className="card invite" data-testid="invite-card">
      <h2 className="card__title">{t('users.invite_title', { name })}</h2>
      <p className="muted">{t('users.invite_body')}</p>
      <div className="invite__label">{t('users.invite_code')}</div>
      <div className="invite__row">
        <code className="invite__code" data-testid="invite-code">
          {invite.code}
        </code>
        <CopyButton text={invite.code} />
      </div>
      <div className="invite__label">{t('users.invite_link')}</div>
      <div className="invite__row">
        <a className="invite__link" href={invite.url} data-testid="invite-link">
          {invite.url}
        </a>
        <CopyButton text={invite.url} />
      </div>
      <a className="btn btn--whatsapp" href={invite.whatsapp_url} target="_blank" rel="noreferrer noopener">
        <Icon name="whatsapp" size={18} />
        {t('users.invite_whatsapp')}
      </a>
    </section>
  );
}
