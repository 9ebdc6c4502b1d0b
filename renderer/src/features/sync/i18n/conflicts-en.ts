import type { Translation } from '../../../i18n/messages.ts';
import type source from './conflicts-id.ts';

export default {
  title: 'Changes that lost in sync',
  hint: 'The same data was changed on this computer and on the hosted instance before they met. The newer one is used; the losing one is kept here.',
  none: 'No changes lost.',
  in_use: 'In use',
  lost: 'Lost',
  won_here: 'from this computer',
  won_there: 'from the hosted instance',
  lost_here: 'from this computer',
  lost_there: 'from the hosted instance',
  empty_value: '(empty)',
  dismiss: 'Dismiss',
  use: 'Use this value',
  table_units: 'Unit',
  table_residents: 'Resident',
  table_fee_types: 'Fee type',
  column_phone: 'Phone',
  column_name: 'Name',
  column_notes: 'Notes',
  column_code: 'Code',
  digest_alert:
    'The data on this computer and on the hosted instance differ in these tables: {tables}. Do not change that data yet and contact the administrator.',
  column_email: 'Email',
} satisfies Translation<typeof source>;
