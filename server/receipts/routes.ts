import { z } from 'zod';
import { SYSTEM_ACTOR, ScopedStore } from '../db/scoped-store.ts';
import { platformKnex } from '../db/platform-store.ts';
import { printDocument } from '../devices/print-document.ts';
import { NotFoundError } from '../http/errors.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { idParams } from '../http/schemas.ts';
import { portalPaymentVisible, residentUnit } from '../ledger/index.ts';
import { receiptSettings, requirePrinter, type ReceiptSettings } from '../settings/index.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { countedPrint, ensureReceipt, loadReceiptData, printCount } from './receipt-store.ts';
import type { ReceiptData } from './receipt-data.ts';
import { receiptLayout } from './receipt-thermal.ts';
import { isWellFormedVerifyCode } from './verify-code.ts';
import { notFoundPageHtml, publicReceiptView, verifyPageHtml } from './verify-page.ts';
import { publicReceiptResponse, receiptResponse, receiptSlipPrintedResponse } from './schemas.ts';

const tags = ['receipts'];
const pdfQuery = z.object({ paper: z.enum(['A5', 'A6']).optional() });
const printBody = z
  .object({ paper_width: z.union([z.literal(58), z.literal(80)]).optional() })
  .strict()
  .optional();

const receiptPrintBody = z
  .object({
    target: z.enum(['pdf', 'printer']),
    paper: z.enum(['A5', 'A6']).optional(),
    paper_width: z.union([z.literal(58), z.literal(80)]).optional(),
  })
  .strict();

async function printSlip(store: ScopedStore, receiptId: string, data: ReceiptData, settings: ReceiptSettings, paperWidth?: 58 | 80) {
  const printer = await requirePrinter(store);
  const config = { ...printer, paper_width: paperWidth ?? printer.paper_width };
  const { printNumber, result: sent } = await countedPrint(store, receiptId, 'thermal', (n) =>
    printDocument(config, receiptLayout(data, { print_number: n }, settings)),
  );
  return { printed: true, receipt_number: data.receipt_number, print_number: printNumber, copy: printNumber > 1, bytes: sent.bytes };
}

function wantsHtml(ctx: RequestContext): boolean {
  return ctx.req.accepts(['application/json', 'text/html']) === 'text/html';
}

export const receiptRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/payments/:id/receipt',
    permission: 'receipts.print',
    tags,
    params: idParams,
    summary: "A payment's receipt as data (what the PDF and the thermal slip show)",
    response: receiptResponse,
    handler: async ({ store, params, app }) => {
      const receipt = await ensureReceipt(store!, params.id);
      const data = await loadReceiptData(store!, receipt, app.publicUrl);
      return { ...data, prints: await printCount(store!, receipt.id) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/payments/:id/receipt.pdf',
    permission: 'receipts.print',
    tags,
    params: idParams,
    query: pdfQuery,
    raw: true,
    produces: ['application/pdf'],
    summary:
      'The receipt (kuitansi) as an A5 or A6 PDF, marked as a copy; reading it is not a print (POST …/receipt/print makes the original)',
    handler: async ({ store, params, query, app, res }) => {
      const receipt = await ensureReceipt(store!, params.id);
      const data = await loadReceiptData(store!, receipt, app.publicUrl);
      const settings = await receiptSettings(store!);
      const prints = await printCount(store!, receipt.id);
      const pdf = await renderReceiptPdf(
        data,
        { print_number: prints + 1, unrecorded: true },
        { paper: query.paper ?? settings.paper, signer_title: settings.signer_title, footer: settings.footer },
      );
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="kuitansi-${data.receipt_number}-salinan.pdf"`);
      res.setHeader('X-Receipt-Prints', String(prints));
      res.status(200).end(pdf);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/payments/:id/receipt/print',
    permission: 'receipts.print',
    tags,
    params: idParams,
    body: receiptPrintBody,
    raw: true,
    produces: ['application/pdf', 'application/json'],
    // The JSON form is the thermal print's answer (`target: printer`).
    response: receiptSlipPrintedResponse,
    summary:
      'Print the receipt: the first print is the original (ASLI), every later one a numbered copy. `pdf` answers the PDF (X-Print-Number), `printer` sends the slip to the configured printer',
    handler: async ({ store, params, body, app, res }) => {
      const receipt = await ensureReceipt(store!, params.id);
      const data = await loadReceiptData(store!, receipt, app.publicUrl);
      const settings = await receiptSettings(store!);
      if (body.target === 'printer') {
        res.status(200).json(await printSlip(store!, receipt.id, data, settings, body.paper_width));
        return;
      }
      const { printNumber, result: pdf } = await countedPrint(store!, receipt.id, 'pdf', (n) =>
        renderReceiptPdf(
          data,
          { print_number: n },
          { paper: body.paper ?? settings.paper, signer_title: settings.signer_title, footer: settings.footer },
        ),
      );
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="kuitansi-${data.receipt_number}${printNumber > 1 ? `-salinan-${printNumber - 1}` : ''}.pdf"`,
      );
      res.setHeader('X-Print-Number', String(printNumber));
      res.status(200).end(pdf);
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/payments/:id/receipt.pdf',
    permission: 'portal.self',
    tags,
    params: idParams,
    query: pdfQuery,
    raw: true,
    produces: ['application/pdf'],
    summary: "A resident's own receipt as PDF, always marked as a copy (the original is what the treasurer hands over)",
    handler: async (ctx) => {
      const { store, params, query, app, res } = ctx;
      const payment = await store!.query('payments').where('payments.id', params.id).first('unit_id');
      if (!payment) throw new NotFoundError('Pembayaran');
      // The unit must be theirs today and the payment from their own occupancy (or paid by them).
      const view = await residentUnit(ctx, payment.unit_id).catch((err) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
      if (!view || !(await portalPaymentVisible(store!, view, params.id))) throw new NotFoundError('Pembayaran');
      const receipt = await ensureReceipt(store!, params.id);
      const data = await loadReceiptData(store!, receipt, app.publicUrl);
      const settings = await receiptSettings(store!);
      const pdf = await renderReceiptPdf(
        data,
        { print_number: (await printCount(store!, receipt.id)) + 1, unrecorded: true },
        { paper: query.paper ?? settings.paper, signer_title: settings.signer_title, footer: settings.footer },
      );
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `inline; filename="kuitansi-${data.receipt_number}.pdf"`);
      res.status(200).end(pdf);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/payments/:id/print',
    permission: 'receipts.print',
    tags,
    params: idParams,
    body: printBody,
    summary:
      'Print the thermal receipt on the configured printer; reprints are marked as copies (same as receipt/print with target printer)',
    response: receiptSlipPrintedResponse,
    handler: async ({ store, params, body, app }) => {
      const receipt = await ensureReceipt(store!, params.id);
      const data = await loadReceiptData(store!, receipt, app.publicUrl);
      return printSlip(store!, receipt.id, data, await receiptSettings(store!), body?.paper_width);
    },
  },
  {
    method: 'get',
    path: '/receipts/verify/:code',
    permission: 'public',
    tags,
    params: z.object({ code: z.string().max(200) }),
    raw: true,
    produces: ['application/json', 'text/html'],
    response: publicReceiptResponse,
    summary: "What a receipt's QR opens: the receipt's own facts and whether it is still valid or was reversed",
    handler: async (ctx) => {
      const { app, params, res } = ctx;
      const html = wantsHtml(ctx);
      const receipt = isWellFormedVerifyCode(params.code)
        ? // The code is all there is to go by, and it may be any estate's.
          await platformKnex(app.db.knex)('receipts').where({ verify_code: params.code }).first()
        : undefined;
      res.setHeader('Cache-Control', 'no-store');
      if (!receipt) {
        if (html) {
          res.status(404).type('html').send(notFoundPageHtml());
          return;
        }
        throw new NotFoundError('Kuitansi', 'RECEIPT_NOT_FOUND');
      }
      // The code names its estate; reading through that estate's scoped store keeps the one path to estate data.
      const store = new ScopedStore(app.db.knex, receipt.estate_id, SYSTEM_ACTOR, app.sync);
      const view = publicReceiptView(await loadReceiptData(store, receipt, app.publicUrl));
      if (html) res.status(200).type('html').send(verifyPageHtml(view));
      else res.status(200).json(view);
    },
  },
]);
