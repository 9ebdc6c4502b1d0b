import type { Relation } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/messages.ts';

export const relationKey = (relation: Relation): MessageKey => `residents.relation_${relation}`;
