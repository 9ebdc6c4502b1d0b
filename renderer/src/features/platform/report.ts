import type { MessageKey, Vars } from '../../i18n/messages.ts';

/**
 * How a card of the platform page tells the page what happened: one banner at the top, for every card. A notice is
 * kept as its key, so it follows a switch of language.
 */
export interface Report {
  notice: (key: MessageKey, vars?: Vars) => void;
  error: (cause: unknown) => void;
}
