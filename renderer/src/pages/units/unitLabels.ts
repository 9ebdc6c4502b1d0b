import type { Occupancy, UnitType } from '../../api/types.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import type { MessageKey } from '../../i18n/messages.ts';

// Template-literal keys: tsc fails here if a type or occupancy gains a value without a dictionary entry.
export const unitTypeKey = (type: UnitType): MessageKey => `units.type_${type}`;
export const occupancyKey = (occupancy: Occupancy): MessageKey => `units.occupancy_${occupancy}`;

export const OCCUPANCY_TONE: Record<Occupancy, BadgeTone> = {
  occupied: 'green',
  vacant: 'grey',
  under_construction: 'amber',
};
