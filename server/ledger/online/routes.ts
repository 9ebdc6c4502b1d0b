import { defineRoutes } from '../../http/route.ts';
import { estateParams, idParams } from '../../http/schemas.ts';
import { ValidationError } from '../../http/errors.ts';
import { rawWebhookBody } from '../../http/webhook-body.ts';
import { residenceOfRequest, residencesOfRequest } from '../../residency/index.ts';
import { GatewayFailure } from './gateway.ts';
import { configuredGateway, gatewayRow, gatewayView, saveGatewaySettings } from './gateway-settings.ts';
import { chargeOfUnits, createOnlineCharge, GatewayUnavailableError, listOnlineCharges } from './charge-service.ts';
import {
  gatewaySettingsBody,
  gatewaySettingsResponse,
  chargeListQuery,
  gatewayTestResponse,
  onlineChargePageResponse,
  onlineChargeResponse,
  portalChargeBody,
  portalOnlinePaymentResponse,
  webhookAck,
  officeVirtualAccountBody,
  unitVirtualAccountsQuery,
  unitVirtualAccountsResponse,
  virtualAccountBody,
  virtualAccountResponse,
} from './schemas.ts';
import { ensureUnitVirtualAccount, unitVirtualAccounts } from './virtual-accounts.ts';
import { refundOnlineCharge } from './refund-service.ts';
import { onlineRefundBody, onlineRefundResponse } from './schemas.ts';
import { receiveXenditWebhook } from './webhook.ts';
import { receiveMidtransNotification } from './midtrans-webhook.ts';
import { gatewayProviderQuery } from './schemas.ts';
import { z } from 'zod';

export const onlinePaymentRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/settings/payment-gateway',
    permission: 'gateway.manage',
    summary: "The estate's online payment gateway (secrets are never returned, only whether they are set)",
    params: estateParams,
    query: gatewayProviderQuery,
    response: gatewaySettingsResponse,
    handler: async (ctx) => gatewayView(await gatewayRow(ctx.store!, ctx.query.provider), ctx.query.provider),
  },
  {
    method: 'put',
    path: '/estates/:estate_id/settings/payment-gateway',
    permission: 'gateway.manage',
    summary: 'Save the online payment gateway (a secret left out keeps the stored one)',
    params: estateParams,
    body: gatewaySettingsBody,
    response: gatewaySettingsResponse,
    handler: async (ctx) => saveGatewaySettings(ctx.store!, ctx.app.dataDir, ctx.body),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/settings/payment-gateway/test',
    permission: 'gateway.manage',
    summary: 'Check the saved gateway keys and address with a harmless request (balance)',
    params: estateParams,
    query: gatewayProviderQuery,
    response: gatewayTestResponse,
    handler: async (ctx) => {
      const { gateway } = await configuredGateway(ctx.store!, ctx.app.dataDir, { requireEnabled: false, provider: ctx.query.provider });
      try {
        await gateway.testConnection();
      } catch (err) {
        if (!(err instanceof GatewayFailure)) throw err;
        if (err.status === 401 || err.status === 403) {
          throw new ValidationError('Gateway menolak secret key ini.', 'secret_key', 'GATEWAY_KEY_REJECTED');
        }
        throw new GatewayUnavailableError();
      }
      return { ok: true as const };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/online-charges',
    permission: 'payments.read',
    summary: "Residents' online charges and their status, newest first",
    params: estateParams,
    query: chargeListQuery,
    response: onlineChargePageResponse,
    handler: async (ctx) => listOnlineCharges(ctx.store!, ctx.query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/online-charges/:id/refund',
    permission: 'payments.reverse',
    summary: 'Refund a paid online charge (whole or part) through the gateway; the ledger payment is reversed with the reason',
    params: idParams,
    body: onlineRefundBody,
    response: onlineRefundResponse,
    handler: async (ctx) => refundOnlineCharge(ctx.store!, ctx.app.dataDir, ctx.params.id, ctx.body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/online-payment',
    permission: 'portal.self',
    summary: 'Whether residents can pay online here, and by which methods (no keys, no address)',
    params: estateParams,
    response: portalOnlinePaymentResponse,
    handler: async (ctx) => {
      const view = gatewayView(await gatewayRow(ctx.store!));
      // Switched on is not enough: without its keys a charge could be neither created nor confirmed.
      const enabled = view.enabled && view.has_secret_key && (view.has_callback_token || view.provider === 'midtrans');
      return {
        enabled,
        provider: enabled ? view.provider : null,
        methods: enabled ? view.methods : [],
        va_banks: enabled && view.methods.includes('va') ? view.va_banks : [],
        ewallet_channels: enabled && view.methods.includes('ewallet') ? view.ewallet_channels : [],
      };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/online-charges',
    permission: 'portal.self',
    summary: 'Pay my unit online: a QRIS charge for chosen open invoices, a free amount, or everything due',
    status: 201,
    params: estateParams,
    body: portalChargeBody,
    response: onlineChargeResponse,
    handler: async (ctx) => {
      const { unitId, residentId } = await residenceOfRequest(ctx, ctx.body.unit_id);
      const key = ctx.req.headers['idempotency-key'];
      if (typeof key === 'string' && key.length > 200) throw new ValidationError('Idempotency-Key terlalu panjang.', 'Idempotency-Key');
      return createOnlineCharge(ctx.store!, ctx.app.dataDir, {
        unitId,
        residentId,
        method: ctx.body.method,
        channel: ctx.body.channel,
        mobileNumber: ctx.body.mobile_number,
        // A redirect e-wallet brings the payer back to the portal they paid from.
        returnUrl: `${ctx.req.protocol}://${ctx.req.get('host')}/portal`,
        invoiceIds: ctx.body.invoice_ids,
        amount: ctx.body.amount,
        idempotencyKey: typeof key === 'string' && key.length ? key : undefined,
      });
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/online-charges/:id',
    permission: 'portal.self',
    summary: 'One of my online charges: status, QR string, amount and expiry',
    params: idParams,
    response: onlineChargeResponse,
    handler: async (ctx) => {
      const { residences } = await residencesOfRequest(ctx);
      return chargeOfUnits(
        ctx.store!,
        ctx.params.id,
        residences.map((r) => r.unitId),
      );
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/virtual-accounts',
    permission: 'portal.self',
    summary: "My unit's own virtual accounts (bank and number) and what it owes now",
    params: estateParams,
    query: unitVirtualAccountsQuery,
    response: unitVirtualAccountsResponse,
    handler: async (ctx) => {
      const { unitId } = await residenceOfRequest(ctx, ctx.query.unit_id);
      return unitVirtualAccounts(ctx.store!, unitId);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/virtual-accounts',
    permission: 'portal.self',
    summary: "My unit's virtual account at a bank, made on first use; the unit keeps the number",
    params: estateParams,
    body: virtualAccountBody,
    response: virtualAccountResponse,
    handler: async (ctx) => {
      const { unitId } = await residenceOfRequest(ctx, ctx.body.unit_id);
      return ensureUnitVirtualAccount(ctx.store!, ctx.app.dataDir, unitId, ctx.body.bank);
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/units/:id/virtual-accounts',
    permission: 'payments.read',
    summary: "A unit's virtual accounts and what it owes now",
    params: idParams,
    response: unitVirtualAccountsResponse,
    handler: async (ctx) => unitVirtualAccounts(ctx.store!, ctx.params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/units/:id/virtual-accounts',
    permission: 'payments.write',
    summary: "Make a unit's virtual account at a bank (once; asked again it answers the same number)",
    params: idParams,
    body: officeVirtualAccountBody,
    response: virtualAccountResponse,
    handler: async (ctx) => ensureUnitVirtualAccount(ctx.store!, ctx.app.dataDir, ctx.params.id, ctx.body.bank),
  },
  {
    method: 'post',
    path: '/webhooks/xendit',
    permission: 'public',
    summary: "Xendit's payment callbacks: token checked, stored once, processed by a job that re-reads the charge",
    body: z.unknown(),
    response: webhookAck,
    handler: async (ctx) => receiveXenditWebhook(ctx.app, ctx.req.headers, ctx.body, rawWebhookBody(ctx.req)),
  },
  {
    method: 'post',
    path: '/webhooks/midtrans',
    permission: 'public',
    summary: "Midtrans's payment notifications: signature checked, stored once, processed by a job that re-reads the status",
    body: z.unknown(),
    response: webhookAck,
    handler: async (ctx) => receiveMidtransNotification(ctx.app, ctx.req.headers, ctx.body, rawWebhookBody(ctx.req)),
  },
]);
