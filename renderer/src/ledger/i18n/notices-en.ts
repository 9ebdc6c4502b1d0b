import type { Translation } from '../../i18n/messages.ts';
import type source from './notices-id.ts';

export default {
  title: 'Bookkeeping notices',
  hint: "Things for the treasurer to check. No money is lost: every payment is recorded, any excess is the unit's credit.",
  overpayment: 'Unit {unit}: payment {payment} of {amount} became credit because invoice {invoice} was already paid.',
  amount_mismatch_over:
    "Unit {unit}: online payment {payment} brought {paid} although the charge was {expected}. The excess {difference} is the unit's credit.",
  amount_mismatch_under:
    'Unit {unit}: online payment {payment} brought {paid} although the charge was {expected}. The remaining {difference} is still owed.',
  acknowledge: 'Mark as read',
  acknowledged: 'Read',
  raised_at: 'Noted {when}',
} satisfies Translation<typeof source>;
