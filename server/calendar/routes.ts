import { z } from 'zod';
import { localDateAt } from './calendar.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';

export const estateCalendarSchema = z.object({
  timezone: z.string(),
  today: z.string(),
  period: z.string(),
  now: z.string(),
});

export const calendarRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/calendar',
    permission: 'estates.read',
    tags: ['estates'],
    params: estateParams,
    summary: "The estate's calendar as of now: its time zone, today's date and the current period there",
    response: estateCalendarSchema,
    handler: ({ estate }) => {
      const now = Date.now();
      const timezone = estate!.timezone || 'Asia/Jakarta';
      const today = localDateAt(now, timezone);
      return { timezone, today, period: today.slice(0, 7), now: new Date(now).toISOString() };
    },
  },
]);
