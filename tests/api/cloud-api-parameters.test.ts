import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudParamOrder, DeliveryError, sendCloudApi, type GatewayAccount } from '../../server/messages/transports.ts';
import { startFakeWhatsappCloud, type FakeWhatsappCloud } from '../support/fake-whatsapp-cloud.ts';

/**
 * The Cloud API's body parameters from a message's values, against the strict stand-in: the documented order, values
 * Meta would refuse (new lines, empty) made acceptable, a mapping's own order, and Meta's errors told apart.
 */
const ID = '106540352242922';
const TOKEN = 'EAAG-parameters';
let cloud: FakeWhatsappCloud;
const account = (templates: GatewayAccount['cloud_templates']): GatewayAccount => ({
  provider: 'cloud_api',
  base_url: cloud.url,
  token: TOKEN,
  session: null,
  phone_number_id: ID,
  cloud_templates: templates,
});

beforeAll(async () => {
  cloud = await startFakeWhatsappCloud(ID, TOKEN);
});
afterAll(() => cloud.close());

describe('WhatsApp Cloud API parameters', () => {
  it("follows the default wording's order of variables", () => {
    expect(cloudParamOrder('payment_received', { name: 'x', language: 'id' })).toEqual(['nama', 'unit', 'jumlah', 'link_kuitansi']);
    expect(cloudParamOrder('announcement', { name: 'x', language: 'id' })).toEqual(['nama', 'judul', 'isi']);
    expect(cloudParamOrder('announcement', { name: 'x', language: 'id', params: ['judul'] })).toEqual(['judul']);
  });

  it('sends an announcement with its lines joined and an empty value as a dash, which Meta accepts', async () => {
    const id = await sendCloudApi(account({ announcement: { name: 'pengumuman', language: 'id' } }), '6281200000001', {
      text: 'x',
      template_key: 'announcement',
      vars: { nama: 'Budi', judul: '', isi: 'Kerja bakti\n\nMinggu     pagi\tpukul 07.00' },
    });
    const sent = cloud.sent.find((s) => s.id === id)!;
    expect(sent.template.components![0].parameters.map((p) => p.text)).toEqual(['Budi', '-', 'Kerja bakti Minggu   pagi pukul 07.00']);
  });

  it('tells a wrong number id (final) from a rate limit (tried again)', async () => {
    const wrong = await sendCloudApi(
      { ...account({ guest_arrived: { name: 'tamu', language: 'id' } }), phone_number_id: '999999' },
      '6281200000002',
      {
        text: 'x',
        template_key: 'guest_arrived',
        vars: {},
      },
    ).catch((e) => e);
    expect(wrong).toBeInstanceOf(DeliveryError);
    expect(wrong.retryable).toBe(false);
    cloud.failNext(1, 429);
    const limited = await sendCloudApi(account({ guest_arrived: { name: 'tamu', language: 'id' } }), '6281200000002', {
      text: 'x',
      template_key: 'guest_arrived',
      vars: {},
    }).catch((e) => e);
    expect(limited).toBeInstanceOf(DeliveryError);
    expect(limited.retryable).toBe(true);
    expect(limited.message).toContain('130429');
  });
});
