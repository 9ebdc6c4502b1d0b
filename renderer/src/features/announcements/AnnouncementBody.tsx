/**
 * The announcement's text as the server cleaned it (server/announcements/announcement-html.ts: paragraphs, bold,
 * italic, lists and web links only, checked again on every read); the page's CSP forbids inline scripts besides.
 */
export function AnnouncementBody({ html }: { html: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: cleaned by the server's allow-list before it reaches here
  return <div className="announcement-body" data-testid="announcement-body" dangerouslySetInnerHTML={{ __html: html }} />;
}
