import type { Translation } from '../messages.ts';
import type source from '../id/users.ts';

export default {
  title: 'Users & invites',
  subtitle: 'Give access to the committee, treasurer, guards or residents.',
  form_title: 'Add a user',
  name: 'Name',
  email: 'Email',
  phone: 'Phone number',
  role: 'Role',
  mode: 'How they get access',
  mode_invite: 'Send an invite (they choose their own password)',
  mode_password: 'Set a password now',
  password: 'Initial password',
  submit: 'Add user',
  created: '{name} was added.',
  invite_title: 'Invitation for {name}',
  invite_body: 'Share this code or link. The invitation works only once.',
  invite_code: 'Invite code',
  invite_link: 'Link',
  invite_whatsapp: 'Send via WhatsApp',
  another: 'Add another user',
} satisfies Translation<typeof source>;
