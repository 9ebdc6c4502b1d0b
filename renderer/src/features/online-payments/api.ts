import { api, apiRequest, estatePath } from '../../ledger/api.ts';
import type {
  GatewaySettings,
  OfficeChargeView,
  OnlineChargeView,
  OnlineRefundView,
  PortalOnlinePayment,
  VirtualAccountView,
} from '../../../../server/ledger/online/schemas.ts';

// The server's own answer shapes (type-only: no server code reaches the bundle).
export type {
  GatewaySettings,
  OnlineChargeView as OnlineCharge,
  PortalOnlinePayment,
  VirtualAccountView as VirtualAccount,
} from '../../../../server/ledger/online/schemas.ts';

export const CHARGE_STATUSES = ['creating', 'pending', 'paid', 'expired', 'failed', 'amount_mismatch'] as const;

export type GatewayProvider = 'xendit' | 'midtrans';

export interface GatewaySettingsInput {
  provider: GatewayProvider;
  enabled: boolean;
  base_url: string | null;
  /** Midtrans only: Snap's address. */
  snap_base_url?: string | null;
  methods: Array<'qris' | 'va' | 'ewallet'>;
  va_banks?: string[];
  /** The fee per transfer into a virtual account, per bank (rupiah). */
  va_fees?: Record<string, number>;
  ewallet_channels?: string[];
  fee_bearer: 'estate' | 'resident';
  secret_key?: string;
  callback_token?: string;
}

export const onlinePaymentApi = {
  portalOptions: (estateId: string, signal?: AbortSignal) =>
    api.get<PortalOnlinePayment>(estatePath(estateId, '/portal/online-payment'), undefined, signal),
  createQris: (estateId: string, invoiceIds: string[]) =>
    api.post<OnlineChargeView>(estatePath(estateId, '/portal/online-charges'), { method: 'qris', invoice_ids: invoiceIds }),
  createEwallet: (estateId: string, invoiceIds: string[], channel: string, mobileNumber?: string) =>
    api.post<OnlineChargeView>(estatePath(estateId, '/portal/online-charges'), {
      method: 'ewallet',
      channel,
      invoice_ids: invoiceIds,
      ...(mobileNumber ? { mobile_number: mobileNumber } : {}),
    }),
  portalVirtualAccounts: (estateId: string, signal?: AbortSignal) =>
    api.get<{ unit_id: string; amount_due: number; fee_bearer: 'estate' | 'resident'; items: VirtualAccountView[] }>(
      estatePath(estateId, '/portal/virtual-accounts'),
      undefined,
      signal,
    ),
  createPortalVirtualAccount: (estateId: string, bank: string) =>
    api.post<VirtualAccountView>(estatePath(estateId, '/portal/virtual-accounts'), { bank }),
  portalCharge: (estateId: string, id: string) => api.get<OnlineChargeView>(estatePath(estateId, `/portal/online-charges/${id}`)),
  settings: (estateId: string, signal?: AbortSignal, provider?: GatewayProvider) =>
    api.get<GatewaySettings>(estatePath(estateId, '/settings/payment-gateway'), provider ? { provider } : undefined, signal),
  saveSettings: (estateId: string, body: GatewaySettingsInput) =>
    apiPut<GatewaySettings>(estatePath(estateId, '/settings/payment-gateway'), body),
  testConnection: (estateId: string, provider?: GatewayProvider) =>
    api.post<{ ok: true }>(estatePath(estateId, '/settings/payment-gateway/test'), undefined, provider ? { provider } : undefined),
  charges: (estateId: string, status: string, signal?: AbortSignal) =>
    api.get<{ items: OfficeChargeView[]; total: number }>(
      estatePath(estateId, '/online-charges'),
      status ? { status, limit: 50 } : { limit: 50 },
      signal,
    ),
  refund: (estateId: string, chargeId: string, body: { amount?: number; reason: string }) =>
    api.post<OnlineRefundView>(estatePath(estateId, `/online-charges/${chargeId}/refund`), body),
};

const apiPut = <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body });
