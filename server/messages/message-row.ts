import type { Message } from './schemas.ts';

/** A row of `messages` as stored. */
export interface MessageRow {
  id: string;
  unit_id: string | null;
  resident_id: string;
  channel: Message['channel'];
  recipient: string | null;
  template_key: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  /** JSON of the variables a WhatsApp gateway message was rendered from. */
  template_vars?: string | null;
  status: Message['status'];
  failure_reason: string | null;
  attempts: number;
  next_attempt_at: string | null;
  cause_kind: string;
  cause_id: string;
  provider_message_id: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  resident_name?: string | null;
  unit_code?: string | null;
}
