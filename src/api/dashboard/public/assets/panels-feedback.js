// What customers ask the product team for, grouped into themes.
import { apiGet } from './api.js';
import { chip, count, el, empty, link, when } from './dom.js';

function trend(theme) {
  const delta = theme.count - (theme.previousCount ?? 0);
  if (!theme.previousCount) return chip('new', 'trend up');
  if (delta === 0) return chip('steady', 'trend');
  const cls = delta > 0 ? 'up' : 'down';
  return chip(`${delta > 0 ? '▲' : '▼'} ${Math.abs(delta)} vs ${count(theme.previousCount)}`, `trend ${cls}`);
}

export const feedback = {
  name: 'feedback',
  fetch: (ctx) => apiGet('/api/feedback/digest', { from: ctx.from.toISOString(), to: ctx.to.toISOString() }),
  render(body, { data }, _ctx, meta) {
    meta.textContent = `${count(data.total)} conversations · ${when(data.from)} – ${when(data.to)}`;
    if (!data.themes?.length) return body.append(empty('No product feedback in this window.'));
    body.append(
      el(
        'div',
        { className: 'themes' },
        data.themes.map((t) =>
          el('article', { className: 'theme' }, [
            el('header', {}, [el('h3', { text: t.label }), el('span', { className: 'theme-count', text: count(t.count) }), trend(t)]),
            el('p', { className: 'terms' }, (t.terms ?? []).slice(0, 6).map((term) => chip(term, 'term'))),
            el(
              'ul',
              { className: 'posts' },
              (t.conversations ?? []).slice(0, 4).map((c) => el('li', {}, [link(c.url, c.preview || '(no text)'), c.channel ? el('small', { text: ` · ${c.channel}` }) : null])),
            ),
          ]),
        ),
      ),
    );
  },
};
