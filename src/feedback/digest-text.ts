import { clip, escapeInline, link } from '../slack/escape';
import type { Digest, DigestTheme } from './digest';

const PER_THEME = 3;
const day = (d: Date) => d.toISOString().slice(0, 10);

function trendText(t: DigestTheme): string {
  if (t.trend === 'new') return 'new';
  const sign = t.change > 0 ? `↑ +${t.change}` : t.change < 0 ? `↓ −${-t.change}` : '→ same';
  return `${sign}, was ${t.previousCount}`;
}

/** The digest as Slack mrkdwn for the product channel: customer words escaped, links only to http(s) posts. */
export function digestText(digest: Digest): string {
  const head =
    `*Product feedback* ${day(digest.from)} – ${day(digest.to)}: ${digest.total} conversation${digest.total === 1 ? '' : 's'}` +
    ` (${digest.previous.total} the period before)`;
  if (digest.themes.length === 0) return `${head}\nNo product feedback in this period.`;
  const lines = [head];
  digest.themes.forEach((t, i) => {
    lines.push(`*${i + 1}. ${escapeInline(t.label)}* — ${t.count} (${trendText(t)})`);
    for (const c of t.conversations.slice(0, PER_THEME)) {
      lines.push(`    • ${link(c.url, c.channel)}: ${escapeInline(clip(c.preview, 140))}`);
    }
    const more = t.conversations.length - PER_THEME;
    if (more > 0) lines.push(`    • and ${more} more`);
  });
  return lines.join('\n');
}
