import { t, tn, type Locale } from '../i18n';
import { clip, escapeInline, link } from '../slack/escape';
import type { Digest, DigestTheme } from './digest';

const PER_THEME = 3;
const day = (d: Date) => d.toISOString().slice(0, 10);

function trendText(theme: DigestTheme, locale: Locale): string {
  if (theme.trend === 'new') return t(locale, 'digest.new');
  const sign = theme.change > 0 ? `↑ +${theme.change}` : theme.change < 0 ? `↓ −${-theme.change}` : t(locale, 'digest.same');
  return t(locale, 'digest.was', { sign, previous: theme.previousCount });
}

/** The digest as Slack mrkdwn for the product channel: customer words escaped, links only to http(s) posts. */
export function digestText(digest: Digest, locale: Locale = 'en'): string {
  const head = tn(locale, 'digest.head', digest.total, { from: day(digest.from), to: day(digest.to), previous: digest.previous.total });
  if (digest.themes.length === 0) return `${head}\n${t(locale, 'digest.empty')}`;
  const lines = [head];
  digest.themes.forEach((theme, i) => {
    lines.push(`*${i + 1}. ${escapeInline(theme.label)}* — ${theme.count} (${trendText(theme, locale)})`);
    for (const c of theme.conversations.slice(0, PER_THEME)) {
      lines.push(`    • ${link(c.url, c.channel)}: ${escapeInline(clip(c.preview, 140))}`);
    }
    const more = theme.conversations.length - PER_THEME;
    if (more > 0) lines.push(`    • ${t(locale, 'digest.morePosts', { count: more })}`);
  });
  // every conversation is accounted for: the themes not listed are counted
  if (digest.more.themes > 0) lines.push(t(locale, 'digest.moreThemes', { themes: digest.more.themes, count: digest.more.conversations }));
  return lines.join('\n');
}
