import { describe, expect, it } from 'vitest';
import { announcementPlainText, cleanAnnouncementHtml } from './announcement-html.ts';

describe('announcement html', () => {
  it('keeps paragraphs, bold, italic, lists and web links', () => {
    const html = '<p>Kerja <strong>bakti</strong> <em>Minggu</em></p><ul><li>sapu</li></ul><a href="https://griya.id/x">info</a>';
    expect(cleanAnnouncementHtml(html)).toBe(
      '<p>Kerja <strong>bakti</strong> <em>Minggu</em></p><ul><li>sapu</li></ul><a href="https://griya.id/x" rel="noopener noreferrer nofollow" target="_blank">info</a>',
    );
  });

  it('drops scripts with their text, event handlers, javascript: links, styles and frames', () => {
    const html =
      '<p onclick="x()">Hai<script>alert(1)</script></p><img src=x onerror="alert(2)"><a href="javascript:alert(3)">klik</a>' +
      '<a href="JaVaScRiPt&#58;alert(4)">dua</a><iframe src="https://evil.example"></iframe><style>p{}</style><svg onload="alert(5)"></svg>';
    const clean = cleanAnnouncementHtml(html);
    expect(clean).toBe('<p>Hai</p><a>klik</a><a>dua</a>');
    expect(clean).not.toMatch(/script|onerror|onclick|javascript|iframe|svg|style/i);
  });

  it('gives plain text for previews without markup or entities', () => {
    expect(announcementPlainText('<p>Satu &amp; dua</p><p>Tiga<script>x</script></p><ul><li>a</li><li>b</li></ul>')).toBe(
      'Satu & dua\n\nTiga\n\na\nb',
    );
  });
});
