import { useEffect, useRef } from 'react';
import { ScannerInput, type ScannerOptions } from './scanner-input.ts';

function isTextField(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && ['text', 'tel', 'search', 'number', 'email', ''].includes(el.type);
}

/** Types text into a React-controlled field the way a keystroke would (React listens for the native input event). */
function insertIntoField(field: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')!.set!;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  setter.call(field, field.value.slice(0, start) + text + field.value.slice(end));
  try {
    field.setSelectionRange(start + text.length, start + text.length);
  } catch {
    // type=number fields have no selection; the text went to the end, which is where it belongs.
  }
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** What the kiosk sends to a focused combobox on Enter, since it swallows the key itself. */
export const SUGGESTION_CHOSEN = 'klustera-suggestion-chosen';

/**
 * Every printable keystroke on the kiosk passes through a ScannerInput first. Bursts ending in Enter become scans;
 * anything slower is handed back to the focused field (a guard typing a walk-in's name), so a scan never fills a form.
 */
export function useScannerKeyboard(onScan: (code: string) => void, options: Partial<ScannerOptions> = {}, enabled = true): void {
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const optionsKey = JSON.stringify(options);

  useEffect(() => {
    if (!enabled) return;
    const input = new ScannerInput(JSON.parse(optionsKey) as Partial<ScannerOptions>);
    let target: Element | null = null;
    const deliver = (events: ReturnType<ScannerInput['key']>) => {
      for (const event of events) {
        if (event.type === 'scan') onScanRef.current(event.code);
        else if (event.type === 'typed' && isTextField(target)) insertIntoField(target, event.text);
        else if (event.type === 'enter' && isTextField(target)) {
          // A search box showing suggestions takes Enter as "this one" (see UnitSearchField), not as "send the form".
          if (target.getAttribute('aria-expanded') === 'true') target.dispatchEvent(new Event(SUGGESTION_CHOSEN));
          else target.form?.requestSubmit();
        }
      }
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || !ScannerInput.handles(e.key)) return;
      e.preventDefault();
      e.stopPropagation();
      target = document.activeElement;
      deliver(input.key(e.key, e.timeStamp || performance.now()));
    };
    const timer = window.setInterval(() => deliver(input.flush(performance.now())), 25);
    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.clearInterval(timer);
    };
  }, [enabled, optionsKey]);
}
