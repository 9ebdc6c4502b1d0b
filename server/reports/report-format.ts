import { DateTime } from 'luxon';
import type { Response } from 'express';
import { reportToPdf } from './pdf-writer.ts';
import type { ReportDocument } from './report-table.ts';
import { reportToXlsx } from './xlsx-writer.ts';

/** Sends a report as JSON (what the screen shows), .xlsx or PDF, chosen by `?format=`. */
export type ReportFormat = 'json' | 'xlsx' | 'pdf';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** "21 Nov 2026 14.05 WIB"-style stamp in the estate's time zone, for the footer of exported reports. */
export function generatedStamp(timezone: string, now = new Date()): string {
  const dt = DateTime.fromJSDate(now).setZone(timezone).setLocale('id');
  return `${dt.toFormat('d LLL yyyy HH.mm')} ${dt.offsetNameShort ?? timezone}`;
}

export async function sendReport(res: Response, format: ReportFormat, json: unknown, document: () => ReportDocument): Promise<void> {
  if (format === 'json') {
    res.status(200).json(json);
    return;
  }
  const doc = document();
  const body = format === 'xlsx' ? await reportToXlsx(doc) : await reportToPdf(doc);
  res.setHeader('Content-Type', format === 'xlsx' ? XLSX_TYPE : 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${doc.filename}.${format}"`);
  res.setHeader('Content-Length', String(body.length));
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).end(body);
}
