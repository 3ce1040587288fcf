// Where conversations went and why: the triage queue, recent routing events and the model in force.
import { apiGet } from './api.js';
import { chip, count, el, empty, percent, relative, table, when } from './dom.js';
import { t, tn } from './i18n.js';
import { customer, departmentName } from './panels-sla.js';

function terms(list) {
  return Array.isArray(list) && list.length ? el('span', { className: 'terms' }, [el('small', { text: t('dashboard.routing.because') }), ...list.slice(0, 5).map((t) => chip(t, 'term'))]) : null;
}

export const triage = {
  name: 'triage',
  fetch: () => apiGet('/api/conversations', { department: 'triage', status: 'open', limit: 25 }),
  render(body, { data, nextCursor }, ctx, meta) {
    meta.textContent = data.length ? t('dashboard.triage.waiting', { count: count(data.length), more: nextCursor ? '+' : '' }) : '';
    if (data.length === 0) return body.append(empty(t('dashboard.triage.empty')));
    body.append(
      table(
        [
          { label: t('dashboard.triage.arrived'), className: 'due', cell: (c) => el('div', {}, [el('strong', { text: relative(c.firstMessageAt) }), el('small', { text: when(c.firstMessageAt) })]) },
          { label: t('dashboard.triage.customer'), className: 'who', cell: (c) => customer(c.customer) },
          { label: t('dashboard.triage.message'), className: 'preview', cell: (c) => el('span', { text: c.preview }) },
          {
            label: t('dashboard.triage.guess'),
            cell: (c) =>
              el('div', { className: 'guess' }, [
                el('span', { text: `${departmentName(ctx, c.routing?.label ?? '?')} · ${percent(c.routing?.confidence)}` }),
                c.routing?.runnerUp
                  ? el('small', { className: 'runner-up', text: t('dashboard.routing.runnerUp', { name: departmentName(ctx, c.routing.runnerUp.department), share: percent(c.routing.runnerUp.score) }), attrs: { 'data-runner-up': c.routing.runnerUp.department } })
                  : null,
                terms(c.routing?.terms),
              ]),
          },
        ],
        data,
        { rowId: (c) => c.id, className: 'triage' },
      ),
    );
  },
};

const METHODS = ['model', 'triage', 'rule', 'manual'];
const methodName = (m) => (METHODS.includes(m) ? t(`dashboard.method.${m}`) : m);

function eventLine(ctx, e) {
  if (e.method === 'manual') {
    return el('p', { className: 'what' }, [
      el('span', { text: t('dashboard.routing.moved', { from: e.from ? departmentName(ctx, e.from) : '—', to: departmentName(ctx, e.to) }) }),
      el('span', { className: 'by', text: t('dashboard.routing.by', { actor: e.actor }) }),
    ]);
  }
  return el('p', { className: 'what' }, [
    t(e.method === 'triage' ? 'dashboard.routing.unsure' : 'dashboard.routing.routed', { to: departmentName(ctx, e.to) }),
    Number.isFinite(e.confidence) ? t('dashboard.routing.confident', { share: percent(e.confidence) }) : '',
    e.method === 'rule' && e.reason ? el('span', { className: 'by', text: ` · ${e.reason}` }) : null,
    terms(e.terms),
  ]);
}

export const routing = {
  name: 'routing',
  fetch: () => apiGet('/api/routing/events', { limit: 30 }),
  render(body, { data }, ctx, meta) {
    const manual = data.filter((e) => e.method === 'manual').length;
    meta.textContent = `${tn('dashboard.routing.decisions', data.length - manual)} · ${tn('dashboard.routing.corrections', manual)}`;
    if (data.length === 0) return body.append(empty(t('dashboard.routing.empty')));
    body.append(
      el(
        'ol',
        { className: 'events' },
        data.map((e) =>
          el('li', { className: `event ${e.method}`, attrs: { 'data-method': e.method, 'data-conversation': e.conversationId } }, [
            el('div', { className: 'event-head' }, [chip(methodName(e.method), `method ${e.method}`), el('time', { text: relative(e.createdAt), title: when(e.createdAt), attrs: { datetime: e.createdAt } })]),
            eventLine(ctx, e),
            e.method === 'manual' && e.reason ? el('p', { className: 'reason', text: `“${e.reason}”` }) : null,
            e.preview ? el('p', { className: 'preview', text: e.preview }) : null,
          ]),
        ),
      ),
    );
  },
};

/** How many routings were right, in words: share of automatic decisions nobody moved, and share that needed triage. */
function quality(stats) {
  const a = stats.automatic;
  const right = a && a.decided > 0 ? a.right / a.decided : null;
  return el('div', { className: 'quality' }, [
    el('p', { className: 'quality-summary', text: t('dashboard.quality.summary', { right: percent(right), triage: percent(stats.total ? stats.triage.share : null) }) }),
    el('p', { className: 'quality-detail', text: t('dashboard.quality.detail', { decided: count(a?.decided ?? 0), wrong: count(a?.moved ?? 0), total: count(stats.total), triaged: count(stats.triage.count) }) }),
  ]);
}

export const model = {
  name: 'model',
  fetch: async (ctx) => {
    const [models, stats] = await Promise.all([apiGet('/api/classifier/models'), apiGet('/api/stats/routing', { since: ctx.from.toISOString(), until: ctx.to.toISOString() })]);
    return { models: models.data, stats: stats.data };
  },
  render(body, { models, stats }, ctx, meta) {
    const active = models.find((m) => m.active);
    meta.textContent = tn('dashboard.quality.versions', models.length);
    body.append(stats.total > 0 ? quality(stats) : empty(t('dashboard.quality.none')));
    if (!active) return body.append(empty(t('dashboard.quality.noModel')));
    body.append(
      el('div', { className: 'model-head' }, [el('span', { className: 'version', text: t('dashboard.quality.model', { version: active.version, since: when(active.createdAt) }) })]),
      el('p', { className: 'trained', text: t('dashboard.quality.trainedOn', { count: count(active.trainedOn) }) }),
      el('dl', { className: 'facts' }, [
        el('dt', { text: t('dashboard.quality.departments') }),
        el('dd', {}, (active.labels ?? []).map((l) => chip(departmentName(ctx, l)))),
      ]),
    );
  },
};
