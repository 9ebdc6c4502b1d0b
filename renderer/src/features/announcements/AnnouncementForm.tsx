import { useRef, useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { instantOfLocalInput, localInputOf } from '../../format/calendar.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { announcementApi, type Announcement } from './api.ts';

type Target = 'all' | 'blocks' | 'units';
const CHANNELS = ['whatsapp', 'email'] as const;

const splitList = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Unit codes as typed into ids; a code that names no unit stops the form with its name. */
async function unitIdsOf(estateId: string, codes: string[]): Promise<{ ids: string[]; unknown?: string }> {
  const ids: string[] = [];
  for (const code of codes) {
    const page = await api.get<{ items: { id: string; code: string }[] }>(`/estates/${estateId}/units`, { q: code, limit: 20 });
    const unit = page.items.find((u) => u.code.toLowerCase() === code.toLowerCase());
    if (!unit) return { ids, unknown: code };
    ids.push(unit.id);
  }
  return { ids };
}

/**
 * Writing an announcement: the text in a small editor (bold, italic, list, link; the server keeps only those),
 * who it is for, files, channels and when. Times are picked in the estate's zone, whatever the computer's.
 */
export function AnnouncementForm({ onDone }: { onDone: (a: Announcement) => void }) {
  const { t } = useI18n();
  const estateId = useEstateId();
  const calendar = useEstateCalendar();
  const editor = useRef<HTMLDivElement>(null);
  const [title, setTitle] = useState('');
  const [target, setTarget] = useState<Target>('all');
  const [blocks, setBlocks] = useState('');
  const [units, setUnits] = useState('');
  const [ownersOnly, setOwnersOnly] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [channels, setChannels] = useState<string[]>([]);
  const [files, setFiles] = useState<File[]>([]);
  const [later, setLater] = useState(false);
  const [when, setWhen] = useState(() => localInputOf(new Date(Date.now() + 3_600_000), calendar.zone));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const format = (command: 'bold' | 'italic' | 'insertUnorderedList') => {
    editor.current?.focus();
    document.execCommand(command);
  };
  // A link is asked for in the page (Electron has no window.prompt); the selection it wraps is kept while the
  // address is typed, since focusing the field moves it.
  const [link, setLink] = useState<{ href: string; range: Range | null } | null>(null);
  const askLink = () => {
    const selection = window.getSelection();
    const range = selection && selection.rangeCount && editor.current?.contains(selection.anchorNode) ? selection.getRangeAt(0) : null;
    setLink({ href: 'https://', range });
  };
  const addLink = () => {
    if (!link) return;
    editor.current?.focus();
    if (link.range) {
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(link.range);
    }
    if (/^https?:\/\/\S+$/i.test(link.href.trim())) document.execCommand('createLink', false, link.href.trim());
    setLink(null);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setProblem(null);
    setBusy(true);
    try {
      let targetUnitIds: string[] = [];
      if (target === 'units') {
        const found = await unitIdsOf(estateId, splitList(units));
        if (found.unknown) {
          setProblem(t('announcements.unknown_unit', { code: found.unknown }));
          return;
        }
        targetUnitIds = found.ids;
      }
      const draft = await announcementApi.create(estateId, {
        title,
        body_html: editor.current?.innerHTML ?? '',
        target_blocks: target === 'blocks' ? splitList(blocks) : [],
        target_unit_ids: targetUnitIds,
        owners_only: ownersOnly,
        pinned,
        channels: ['portal', ...(channels as ('whatsapp' | 'email')[])],
      });
      for (const file of files) await announcementApi.attach(estateId, draft.id, file);
      onDone(await announcementApi.publish(estateId, draft.id, later ? instantOfLocalInput(when, calendar.zone) : null));
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="announcement-form" onSubmit={(e) => void submit(e)} data-testid="announcement-form">
      <Field label={t('announcements.field_title')} required>
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} required name="title" />
      </Field>
      <div>
        <span className="field__label">{t('announcements.field_body')}</span>
        <div className="announcement-toolbar">
          <button type="button" className="btn btn--small" onClick={() => format('bold')}>
            <strong>{t('announcements.bold')}</strong>
          </button>
          <button type="button" className="btn btn--small" onClick={() => format('italic')}>
            <em>{t('announcements.italic')}</em>
          </button>
          <button type="button" className="btn btn--small" onClick={() => format('insertUnorderedList')}>
            {t('announcements.list')}
          </button>
          <button type="button" className="btn btn--small" onClick={askLink}>
            {t('announcements.link')}
          </button>
        </div>
        {link && (
          <div className="announcement-toolbar" data-testid="announcement-link">
            <input
              className="input input--small"
              aria-label={t('announcements.link_prompt')}
              inputMode="url"
              value={link.href}
              onChange={(e) => setLink({ ...link, href: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addLink();
                }
              }}
            />
            <button type="button" className="btn btn--small btn--primary" onClick={addLink}>
              {t('announcements.link')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => setLink(null)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
        <div
          ref={editor}
          className="announcement-editor"
          contentEditable
          role="textbox"
          aria-multiline="true"
          aria-label={t('announcements.field_body')}
          data-testid="announcement-editor"
          suppressContentEditableWarning
        />
        <p className="muted">{t('announcements.body_hint')}</p>
      </div>
      <fieldset>
        <legend>{t('announcements.target')}</legend>
        {(['all', 'blocks', 'units'] as const).map((value) => (
          <label key={value}>
            <input type="radio" name="target" value={value} checked={target === value} onChange={() => setTarget(value)} />{' '}
            {t(`announcements.target_${value}`)}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={ownersOnly} onChange={(e) => setOwnersOnly(e.target.checked)} name="owners_only" />{' '}
          {t('announcements.owners_only')}
        </label>
      </fieldset>
      {target === 'blocks' && (
        <Field label={t('announcements.target_blocks')} hint={t('announcements.blocks_hint')} required>
          <input value={blocks} onChange={(e) => setBlocks(e.target.value)} required name="blocks" />
        </Field>
      )}
      {target === 'units' && (
        <Field label={t('announcements.target_units')} hint={t('announcements.units_hint')} required>
          <input value={units} onChange={(e) => setUnits(e.target.value)} required name="units" />
        </Field>
      )}
      <fieldset>
        <legend>{t('announcements.channels')}</legend>
        <label>
          <input type="checkbox" checked disabled /> {t('announcements.channel_portal')}
        </label>
        {CHANNELS.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={channels.includes(c)}
              onChange={(e) => setChannels((list) => (e.target.checked ? [...list, c] : list.filter((x) => x !== c)))}
            />{' '}
            {t(`announcements.channel_${c}`)}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} name="pinned" /> {t('announcements.pin')}
        </label>
      </fieldset>
      <Field label={t('announcements.files')}>
        <input
          type="file"
          multiple
          accept="image/jpeg,image/png,image/webp,application/pdf"
          onChange={(e) => setFiles([...(e.target.files ?? [])])}
        />
      </Field>
      <fieldset>
        <legend>{t('announcements.when')}</legend>
        <label>
          <input type="radio" name="when" checked={!later} onChange={() => setLater(false)} /> {t('announcements.when_now')}
        </label>
        <label>
          <input type="radio" name="when" checked={later} onChange={() => setLater(true)} /> {t('announcements.when_later')}
        </label>
        {later && <input type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} required name="publish_at" />}
      </fieldset>
      {problem && (
        <p className="banner banner--error" role="alert">
          {problem}
        </p>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      <div>
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="announcement-submit">
          {later ? t('announcements.schedule') : t('announcements.publish')}
        </button>
      </div>
    </form>
  );
}
