// The installation's settings: the address phones open.
export default {
  nav: 'Settings',
  title: 'Settings',
  subtitle: 'For this Klustera server',
  public_url_title: 'Address for phones and tablets',
  public_url_intro:
    'Invite links, WhatsApp messages, receipt QR codes and kiosk pairing use this address. Open it on a phone on the estate Wi-Fi to make sure it works.',
  public_url_current: 'Address in use:',
  public_url_label: 'Public address',
  public_url_hint: 'Only http:// or https://, a host name or IP and a port. Leave empty to use {example}.',
  source_startup: 'set when the server was started',
  source_setting: 'saved here',
  source_lan: "this computer's address on the local network",
  source_local: 'this computer only; phones cannot open it',
  use_default: 'Use the automatic address',
  saved: 'Address saved. New links and QR codes use it.',
  fixed_at_startup: 'This address was set when the server was started (--public-url or KLUSTERA_PUBLIC_URL) and cannot be changed here.',
  admin_only: 'Only the server administrator can change this address.',
  error_PUBLIC_URL_INVALID: 'Invalid address. For example: http://192.168.1.10:4780 or https://klustera.example.id',
  error_PUBLIC_URL_SET_AT_STARTUP: 'The address was set when the server was started and cannot be changed here.',
};
