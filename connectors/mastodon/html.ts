/** A status's HTML (Mastodon renders every status so) as the plain text the pipeline and the card show. */
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, '');

/** Paragraphs become blank lines, <br> a line break; a link whose text is not its address keeps the address beside it. */
export function htmlToText(html: string): string {
  const linked = html.replace(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi, (_, attrs: string, inner: string) => {
    // entities stay encoded here: the whole text is decoded once at the end
    const raw = stripTags(inner);
    const text = decodeEntities(raw);
    const href = /\bhref\s*=\s*"([^"]*)"/i.exec(attrs)?.[1];
    // mentions and hashtags show @user / #tag; a bare link shows its address, shortened only by invisible spans
    if (!href || /^[@#]/.test(text) || decodeEntities(href) === text || text.startsWith('http')) return raw;
    return `${raw} (${href})`;
  });
  const lines = linked
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<\/?p[^>]*>/gi, '');
  return decodeEntities(stripTags(lines)).replace(/\r\n?/g, '\n').trim();
}
