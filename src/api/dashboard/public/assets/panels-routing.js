// Where conversations went and why: the triage queue, recent routing events and the model in force.
import { apiGet } from './api.js';
import { chip, count, el, empty, percent, relative, table, when } from './dom.js';
import { customer, departmentName } from './panels-sla.js';

function terms(list) {
  return Array.isArray(list) && list.length ? el('span', { className: 'terms' }, [el('small', { text: 'because of ' }), ...list.slice(0, 5).map((t) => chip(t, 'term'))]) : null;
}

export const triage = {
  name: 'triage',
  fetch: () => apiGet('/api/conversations', { department: 'triage', status: 'open', limit: 25 }),
  render(body, { data, nextCursor }, ctx, meta) {
    meta.textContent = data.length ? `${data.length}${nextCursor ? '+' : ''} waiting for a person` : '';
    if (data.length === 0) return body.append(empty('The triage queue is empty.'));
    body.append(
      table(
        [
          { label: 'Arrived', className: 'due', cell: (c) => el('div', {}, [el('strong', { text: relative(c.firstMessageAt) }), el('small', { text: when(c.firstMessageAt) })]) },
          { label: 'Customer', className: 'who', cell: (c) => customer(c.customer) },
          { label: 'Message', className: 'preview', cell: (c) => el('span', { text: c.preview }) },
          {
            label: "Model's guess",
            cell: (c) =>
              el('div', { className: 'guess' }, [
                el('span', { text: `${departmentName(ctx, c.routing?.label ?? '?')} · ${percent(c.routing?.confidence)}` }),
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

const METHODS = { model: 'Model', triage: 'Triage', rule: 'Rule', manual: 'Manual' };

function eventLine(ctx, e) {
  if (e.method === 'manual') {
    return el('p', { className: 'what' }, [
      'Moved ',
      el('strong', { text: e.from ? departmentName(ctx, e.from) : '—' }),
      ' → ',
      el('strong', { text: departmentName(ctx, e.to) }),
      el('span', { className: 'by', text: ` by ${e.actor}` }),
    ]);
  }
  return el('p', { className: 'what' }, [
    e.method === 'triage' ? 'Unsure: sent to ' : 'Routed to ',
    el('strong', { text: departmentName(ctx, e.to) }),
    Number.isFinite(e.confidence) ? ` · ${percent(e.confidence)} confident` : '',
    e.method === 'rule' && e.reason ? el('span', { className: 'by', text: ` · ${e.reason}` }) : null,
    terms(e.terms),
  ]);
}

export const routing = {
  name: 'routing',
  fetch: () => apiGet('/api/routing/events', { limit: 30 }),
  render(body, { data }, ctx, meta) {
    const manual = data.filter((e) => e.method === 'manual').length;
    const plural = (n, word) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;
    meta.textContent = `${plural(data.length - manual, 'decision')} · ${plural(manual, 'correction')}`;
    if (data.length === 0) return body.append(empty('No routing events yet.'));
    body.append(
      el(
        'ol',
        { className: 'events' },
        data.map((e) =>
          el('li', { className: `event ${e.method}`, attrs: { 'data-method': e.method, 'data-conversation': e.conversationId } }, [
            el('div', { className: 'event-head' }, [chip(METHODS[e.method] ?? e.method, `method ${e.method}`), el('time', { text: relative(e.createdAt), title: when(e.createdAt), attrs: { datetime: e.createdAt } })]),
            eventLine(ctx, e),
            e.method === 'manual' && e.reason ? el('p', { className: 'reason', text: `“${e.reason}”` }) : null,
            e.preview ? el('p', { className: 'preview', text: e.preview }) : null,
          ]),
        ),
      ),
    );
  },
};

function words(key) {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function scalar(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? count(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
}

/** Top-level figures and one level of small objects (`candidate.accuracy`); big blobs stay out. */
function figures(metrics) {
  const out = [];
  for (const [key, value] of Object.entries(metrics ?? {})) {
    if (['number', 'string', 'boolean'].includes(typeof value)) out.push([words(key), scalar(value)]);
    else if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length <= 6) {
      for (const [k, v] of Object.entries(value)) if (['number', 'string'].includes(typeof v)) out.push([`${words(key)} ${words(k)}`, scalar(v)]);
    }
  }
  return out.slice(0, 12);
}

export const model = {
  name: 'model',
  fetch: () => apiGet('/api/classifier/models'),
  render(body, { data }, _ctx, meta) {
    const active = data.find((m) => m.active);
    meta.textContent = `${data.length} version${data.length === 1 ? '' : 's'} stored`;
    if (!active) return body.append(empty('No active model version.'));
    body.append(
      el('div', { className: 'model-head' }, [el('span', { className: 'version', text: `Version ${active.version}` }), chip('active', 'good')]),
      el('dl', { className: 'facts' }, [
        el('dt', { text: 'trained on' }),
        el('dd', { text: `${count(active.trainedOn)} examples` }),
        el('dt', { text: 'created' }),
        el('dd', { text: when(active.createdAt) }),
        el('dt', { text: 'labels' }),
        el('dd', {}, (active.labels ?? []).map((l) => chip(l))),
        ...figures(active.metrics).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]),
      ]),
    );
    const others = data.filter((m) => m !== active).slice(0, 4);
    if (others.length) {
      body.append(
        el('h3', { text: 'Other versions' }),
        table(
          [
            { label: 'Version', cell: (m) => String(m.version) },
            { label: 'Trained on', cell: (m) => count(m.trainedOn) },
            { label: 'Created', cell: (m) => when(m.createdAt) },
            { label: 'Decision', className: 'preview', cell: (m) => String(m.metrics?.decision ?? '—') },
          ],
          others,
          { className: 'compact' },
        ),
      );
    }
  },
};
