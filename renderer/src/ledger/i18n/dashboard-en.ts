import type { Translation } from '../../i18n/messages.ts';
import type source from './dashboard-id.ts';

export default {
  chart_title: 'Billed, collected and spending — 12 months',
  chart_hint: 'Tap or point at a bar to see its value.',
  spending: 'Spending',
  this_month_cash: 'Cash this month',
  cash_in_out: 'In {income} · out {spending}',
  bar_value: '{month} · {series}: {amount}',
  start_title: 'Start here',
  start_body: 'This estate has no units or invoices yet. Three steps to the first bill:',
  step_units: 'Import units and residents',
  step_units_body: 'Upload a spreadsheet of units and their residents, or add them one by one.',
  step_fees: 'Set up fee types',
  step_fees_body: 'Monthly fees (service charge, security, cleaning) and their rates.',
  step_billing: 'Run the first billing',
  step_billing_body: "Bill this month's fees to every unit.",
  step_done: 'Done',
  step_open: 'Open',
} satisfies Translation<typeof source>;
