// What customers ask the product team for, grouped into themes.
import { apiGet } from './api.js';
import { chip, count, el, empty, link, when } from './dom.js';
import { t } from './i18n.js';

const POSTS_SHOWN = 4;

function trend(theme) {
  const delta = theme.count - (theme.previousCount ?? 0);
  if (!theme.previousCount) return chip(t('dashboard.feedback.new'), 'trend up');
  if (delta === 0) return chip(t('dashboard.feedback.steady'), 'trend');
  const cls = delta > 0 ? 'up' : 'down';
  return chip(t('dashboard.feedback.vs', { delta: `${delta > 0 ? '▲' : '▼'} ${count(Math.abs(delta))}`, previous: count(theme.previousCount) }), `trend ${cls}`);
}

export const feedback = {
  name: 'feedback',
  fetch: (ctx) => apiGet('/api/feedback/digest', { from: ctx.from.toISOString(), to: ctx.to.toISOString() }),
  render(body, { data }, _ctx, meta) {
    meta.textContent = t('dashboard.feedback.meta', { count: count(data.total), from: when(data.from), to: when(data.to) });
    if (!data.themes?.length) return body.append(empty(t('dashboard.feedback.empty')));
    body.append(
      el(
        'div',
        { className: 'themes' },
        data.themes.map((theme) =>
          el('article', { className: 'theme' }, [
            el('header', {}, [el('h3', { text: theme.label }), el('span', { className: 'theme-count', text: count(theme.count) }), trend(theme)]),
            el('p', { className: 'terms' }, (theme.terms ?? []).slice(0, 6).map((term) => chip(term, 'term'))),
            el(
              'ul',
              { className: 'posts' },
              (theme.conversations ?? []).slice(0, POSTS_SHOWN).map((c) => el('li', {}, [link(c.url, c.preview || t('dashboard.feedback.noText')), c.channel ? el('small', { text: ` · ${c.channel}` }) : null])),
            ),
            theme.count > POSTS_SHOWN ? el('p', { className: 'more-posts', text: t('dashboard.feedback.morePosts', { count: count(theme.count - POSTS_SHOWN) }) }) : null,
          ]),
        ),
      ),
    );
    // every conversation is accounted for: the themes past the list are counted, not hidden
    if (data.more?.themes > 0) body.append(el('p', { className: 'more-themes', text: t('dashboard.feedback.more', { themes: count(data.more.themes), count: count(data.more.conversations) }) }));
  },
};
