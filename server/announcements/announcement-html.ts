import sanitizeHtml from 'sanitize-html';

/**
 * The formatted text an announcement may carry: paragraphs, line breaks, bold, italic, lists and links, nothing else.
 * Whatever the office's editor (or anyone calling the API) sends is reduced to this before it is stored, and again
 * before the portal gets it, so a row written by an older version or another site is held to today's rule too.
 * Links open outside the portal and only to web or mail addresses: `javascript:`, `data:` and relative links are
 * dropped with their `href`.
 */
const WEB_OR_MAIL = /^\s*(https?:\/\/|mailto:)/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 'ul', 'ol', 'li', 'a'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs): sanitizeHtml.Tag => ({
      tagName,
      attribs: WEB_OR_MAIL.test(attribs.href ?? '') ? { href: attribs.href, rel: 'noopener noreferrer nofollow', target: '_blank' } : {},
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && !frame.text.trim(),
};

export function cleanAnnouncementHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

/** The text without any markup, for a notification's preview and for channels that carry plain text. */
export function announcementPlainText(html: string): string {
  return sanitizeHtml(html.replace(/<\/p>/gi, '$&\n\n').replace(/<\/li>|<br\s*\/?>/gi, '$&\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
