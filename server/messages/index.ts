/**
 * The messages' public face. Other domains queue a message with `enqueueMessage` inside the transaction of the write
 * that causes it (a payment, a rejected proof, an announcement); `messageLinks` and `rupiahText` fill the usual
 * variables. See README.md.
 */
export {
  dateText,
  enqueueMessage,
  messageLinks,
  periodText,
  rupiahText,
  type EnqueueMessageInput,
  type MessageChannel,
  withdrawSettledReminders,
} from './message-service.ts';
export { TEMPLATE_KEYS, type TemplateKey, type TemplateVars } from './templates.ts';
export { messageRoutes } from './routes.ts';
export { countStatus, noStatusCounts, type StatusCounts } from './delivery-report.ts';
export { statusCounts } from './schemas.ts';
export { messageStatusRoutes } from './status-routes.ts';
export { sendMessageJob } from './send-job.ts';
export { queueNoticePushes, type NoticeForPush } from './push-notices.ts';
export { planRemindersJob, remindersSchedule } from './reminders.ts';
