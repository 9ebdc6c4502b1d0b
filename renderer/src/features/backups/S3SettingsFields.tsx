import { useState } from 'react';
import type { BackupsAnswer } from '../../../../server/backups/schemas.ts';
import { api } from '../../api/client.ts';
import type { ApiError } from '../../api/errors.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

export type S3Draft = NonNullable<BackupsAnswer['settings']['s3']>;

export const EMPTY_S3: S3Draft = {
  enabled: false,
  endpoint: '',
  region: '',
  bucket: '',
  prefix: '',
  access_key_id: '',
  path_style: false,
  has_secret_key: false,
};

/** What the settings form sends for the bucket: nothing typed and off is no bucket; the secret only when typed. */
export function s3Payload(draft: S3Draft | null, secret: string) {
  if (!draft) return null;
  const { has_secret_key: _has, ...rest } = draft;
  const blank =
    !rest.enabled && !rest.endpoint.trim() && !rest.bucket.trim() && !rest.access_key_id.trim() && !secret && !draft.has_secret_key;
  if (blank) return null;
  return { ...rest, ...(secret ? { secret_key: secret } : {}) };
}

export const S3_FIELDS = ['s3.endpoint', 's3.region', 's3.bucket', 's3.prefix', 's3.access_key_id', 's3.secret_key'] as const;

/**
 * The S3-compatible bucket of the backup settings form (AWS S3, MinIO, Cloudflare R2, Backblaze B2, Wasabi,
 * IDCloudHost): the secret key is write-only, and "test" tries the saved settings with a small object.
 */
export function S3SettingsFields({
  value,
  onChange,
  secret,
  onSecret,
  errors,
  saved,
}: {
  value: S3Draft;
  onChange: (next: S3Draft, field?: string) => void;
  secret: string;
  onSecret: (secret: string) => void;
  errors: Record<string, ApiError>;
  /** The settings have a bucket saved on the server: only then can it be tested. */
  saved: boolean;
}) {
  const { t } = useI18n();
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<string | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const set = <K extends keyof S3Draft>(key: K, v: S3Draft[K]) => {
    setTested(null);
    onChange({ ...value, [key]: v }, `s3.${String(key)}`);
  };
  const test = async () => {
    setTesting(true);
    setTested(null);
    setTestError(null);
    try {
      const answer = await api.post<{ ok: true; bucket: string }>('/installation/backups/s3-test', {});
      setTested(t('backups.s3_test_ok', { bucket: answer.bucket }));
    } catch (cause) {
      setTestError(cause);
    } finally {
      setTesting(false);
    }
  };
  const text = (key: 'endpoint' | 'region' | 'bucket' | 'prefix' | 'access_key_id', hint?: string, placeholder?: string) => (
    <Field label={t(`backups.s3_${key}`)} hint={hint} error={errors[`s3.${key}`]}>
      <input
        className="input"
        name={`s3_${key}`}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        value={value[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );
  return (
    <div data-testid="backups-s3">
      <h3>{t('backups.s3_title')}</h3>
      <p className="muted">{t('backups.s3_intro')}</p>
      <label className="switch">
        <input type="checkbox" name="s3_enabled" checked={value.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('backups.s3_enabled')}</span>
      </label>
      {text('endpoint', t('backups.s3_endpoint_hint'), 'https://s3.ap-southeast-3.amazonaws.com')}
      <div className="form__row">
        {text('region', t('backups.s3_region_hint'), 'ap-southeast-3')}
        {text('bucket', undefined, 'cadangan-perumahan')}
        {text('prefix', t('backups.s3_prefix_hint'), 'klustera/')}
      </div>
      <div className="form__row">
        {text('access_key_id')}
        <Field
          label={t('backups.s3_secret_key')}
          hint={value.has_secret_key ? t('backups.s3_secret_kept') : undefined}
          error={errors['s3.secret_key']}
        >
          <input
            className="input"
            type="password"
            name="s3_secret_key"
            autoComplete="new-password"
            value={secret}
            onChange={(e) => onSecret(e.target.value)}
          />
        </Field>
      </div>
      <label className="switch">
        <input type="checkbox" name="s3_path_style" checked={value.path_style} onChange={(e) => set('path_style', e.target.checked)} />
        <span>{t('backups.s3_path_style')}</span>
      </label>
      <p className="muted">{t('backups.s3_path_style_hint')}</p>
      {tested && (
        <p className="banner banner--success" role="status" data-testid="s3-test-ok">
          {tested}
        </p>
      )}
      {testError ? <ErrorBanner error={testError} /> : null}
      <div className="form__actions">
        <button type="button" className="btn" disabled={!saved || testing} onClick={() => void test()} data-testid="s3-test">
          {testing ? t('backups.s3_testing') : t('backups.s3_test')}
        </button>
        {!saved && <span className="muted">{t('backups.s3_test_save_first')}</span>}
      </div>
    </div>
  );
}
