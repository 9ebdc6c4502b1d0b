import { printDocument } from '../devices/print-document.ts';
import { printerConfigSchema } from '../devices/printer-config.ts';
import { assertPrinterTargetUsable } from '../devices/printer-target.ts';
import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { parsePublicUrl } from '../public-url/index.ts';
import { printerSettings, receiptSettings, requirePrinter } from './printer-settings.ts';
import { bankAccountSettings, removeBankAccount, saveBankAccount } from './bank-account.ts';
import {
  bankAccountResponse,
  bankAccountSchema,
  printerSettingsResponse,
  printerTestResponse,
  receiptSettingsResponse,
  receiptSettingsSchema,
} from './schemas.ts';
import { removeSetting, writeSetting } from './settings-store.ts';

const base = '/estates/:estate_id/settings';
const tags = ['settings'];

export const settingsRoutes = defineRoutes([
  {
    method: 'get',
    path: `${base}/printer`,
    permission: 'settings.read',
    tags,
    params: estateParams,
    summary: 'The receipt printer (network, USB or device file; 58 or 80 mm), or null',
    response: printerSettingsResponse,
    handler: async ({ store }) => ({ printer: await printerSettings(store!) }),
  },
  {
    method: 'put',
    path: `${base}/printer`,
    permission: 'settings.write',
    tags,
    params: estateParams,
    body: printerConfigSchema,
    summary: 'Set the receipt printer',
    response: printerSettingsResponse,
    handler: async ({ store, body }) => {
      await assertPrinterTargetUsable(body);
      return { printer: await writeSetting(store!, 'printer', body) };
    },
  },
  {
    method: 'delete',
    path: `${base}/printer`,
    permission: 'settings.write',
    tags,
    params: estateParams,
    status: 204,
    summary: 'Forget the receipt printer',
    handler: ({ store }) => removeSetting(store!, 'printer'),
  },
  {
    method: 'post',
    path: `${base}/printer/test`,
    permission: 'devices.write',
    tags,
    params: estateParams,
    summary: 'Print a test slip on the configured printer',
    response: printerTestResponse,
    handler: async ({ store, estate }) => {
      const config = await requirePrinter(store!);
      const result = await printDocument(config, {
        blocks: [
          { kind: 'text', text: estate!.name, align: 'center', bold: true },
          { kind: 'text', text: 'Tes printer Klustera', align: 'center' },
          { kind: 'rule' },
          { kind: 'pair', left: 'Lebar kertas', right: `${config.paper_width} mm` },
          { kind: 'qr', data: 'KLUSTERA-PRINTER-TEST', caption: 'QR dicetak sebagai gambar' },
        ],
      });
      return { printed: true, bytes: result.bytes };
    },
  },
  {
    method: 'get',
    path: `${base}/receipt`,
    permission: 'settings.read',
    tags,
    params: estateParams,
    summary: 'Receipt settings: paper size, public address for QR codes, signer, footer',
    response: receiptSettingsResponse,
    handler: ({ store }) => receiptSettings(store!),
  },
  {
    method: 'put',
    path: `${base}/receipt`,
    permission: 'settings.write',
    tags,
    params: estateParams,
    body: receiptSettingsSchema,
    summary: 'Change receipt settings',
    response: receiptSettingsResponse,
    handler: async ({ store, body }) => {
      // The receipt's QR code is a link that leaves the screen: the same rules as the installation's address.
      const base = body.public_base_url ? parsePublicUrl(body.public_base_url, 'public_base_url') : body.public_base_url;
      await writeSetting(store!, 'receipt', base === undefined ? body : { ...body, public_base_url: base });
      return receiptSettings(store!);
    },
  },
  {
    method: 'get',
    path: `${base}/bank-account`,
    permission: 'settings.read',
    tags,
    params: estateParams,
    summary: 'The bank account residents transfer to (bank, account number, account holder), or null',
    response: bankAccountResponse,
    handler: async ({ store }) => ({ bank_account: await bankAccountSettings(store!) }),
  },
  {
    method: 'put',
    path: `${base}/bank-account`,
    permission: 'settings.write',
    tags,
    params: estateParams,
    body: bankAccountSchema,
    summary: 'Set the bank account residents transfer to; the account number is stored as digits',
    response: bankAccountResponse,
    handler: async ({ store, body }) => ({ bank_account: await saveBankAccount(store!, body) }),
  },
  {
    method: 'delete',
    path: `${base}/bank-account`,
    permission: 'settings.write',
    tags,
    params: estateParams,
    status: 204,
    summary: 'Forget the bank account (the portal then asks residents to contact the treasurer)',
    handler: ({ store }) => removeBankAccount(store!),
  },
  {
    // Residents see it where they are asked to transfer; nothing else of the settings reaches the portal.
    method: 'get',
    path: '/estates/:estate_id/portal/bank-account',
    permission: 'portal.self',
    tags: ['portal'],
    params: estateParams,
    summary: "The estate's bank account for transfers, as the portal shows it",
    response: bankAccountResponse,
    handler: async ({ store }) => ({ bank_account: await bankAccountSettings(store!) }),
  },
]);
