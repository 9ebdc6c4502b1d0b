import type { Translation } from '../../i18n/messages.ts';
import type source from './notices-id.ts';

export default {
  title: 'Bookkeeping notices',
  hint: "Things for the treasurer to check. No money is lost: the excess is already the unit's credit.",
  overpayment: 'Unit {unit}: payment {payment} of {amount} became credit because invoice {invoice} was already paid.',
  acknowledge: 'Mark as read',
  acknowledged: 'Read',
  raised_at: 'Noted {when}',
} satisfies Translation<typeof source>;
