/* global document, setInterval, clearInterval */
// Sign-in, the window and filters, and loading each panel on its own so one failure stays in its panel.
import { apiGet, forgetToken, storedToken, storeToken } from './api.js';
import { clear, el } from './dom.js';
import { locale, t, translatePage } from './i18n.js';
import { channels } from './panels-channels.js';
import { feedback } from './panels-feedback.js';
import { model, routing, triage } from './panels-routing.js';
import { atRisk, chart, tiles } from './panels-sla.js';

const PANELS = [tiles, chart, atRisk, triage, routing, model, channels, feedback];
const WINDOWS = { '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3 };
const REFRESH_MS = 60_000;

translatePage();

const $ = (selector) => document.querySelector(selector);
const ui = {
  login: $('#login'),
  form: $('#login-form'),
  token: $('#token'),
  submit: $('#login-submit'),
  message: $('#login-message'),
  dashboard: $('#dashboard'),
  controls: $('#controls'),
  window: $('#window'),
  updated: $('#updated'),
  chartMetric: $('#chart-metric'),
  chartDepartment: $('#chart-department'),
};

// bumped at every sign-in and sign-out: answers for an earlier session are dropped
let session = 0;
let timer = null;
let departments = new Map();

function say(text, kind) {
  ui.message.textContent = text;
  ui.message.className = `message ${kind}`;
  ui.message.hidden = !text;
}

function showLogin(text, kind = 'error') {
  session += 1;
  forgetToken();
  if (timer) clearInterval(timer);
  timer = null;
  ui.dashboard.hidden = true;
  ui.controls.hidden = true;
  ui.login.hidden = false;
  for (const p of PANELS) resetPanel(p.name);
  say(text, kind);
  ui.token.focus();
}

function section(name) {
  return document.querySelector(`[data-panel="${name}"]`);
}

function resetPanel(name) {
  const s = section(name);
  clear(s.querySelector('.panel-body'));
  s.querySelector('.meta').textContent = '';
  s.querySelector('.panel-error').hidden = true;
  delete s.dataset.state;
}

function context() {
  const to = new Date();
  return { from: new Date(to.getTime() - WINDOWS[ui.window.value]), to, departments, chartMetric: ui.chartMetric.value, chartDepartment: ui.chartDepartment.value };
}

async function loadPanel(panel, ctx, mine) {
  const s = section(panel.name);
  const body = s.querySelector('.panel-body');
  const error = s.querySelector('.panel-error');
  s.setAttribute('aria-busy', 'true');
  try {
    const result = await panel.fetch(ctx);
    if (mine !== session) return;
    const fresh = el('div');
    panel.render(fresh, result, ctx, s.querySelector('.meta'));
    body.replaceChildren(...fresh.childNodes);
    error.hidden = true;
    s.dataset.state = 'loaded';
  } catch (err) {
    if (mine !== session) return;
    if (err?.isAuth) return showLogin(err.message);
    clear(body);
    error.textContent = t('dashboard.panel.error', { message: err instanceof Error ? err.message : String(err) });
    error.hidden = false;
    s.dataset.state = 'error';
  } finally {
    s.removeAttribute('aria-busy');
  }
}

async function loadDepartments(mine) {
  try {
    const { data } = await apiGet('/api/departments');
    if (mine !== session) return;
    departments = new Map(data.map((d) => [d.key, d.name]));
  } catch (err) {
    if (err?.isAuth) throw err;
    departments = new Map(); // names fall back to keys; the panels still load
  }
  const chosen = ui.chartDepartment.value;
  ui.chartDepartment.replaceChildren(el('option', { text: t('dashboard.chart.allDepartments'), attrs: { value: '' } }), ...[...departments].map(([key, name]) => el('option', { text: name, attrs: { value: key } })));
  ui.chartDepartment.value = departments.has(chosen) ? chosen : '';
}

async function loadAll(only = PANELS) {
  const mine = session;
  try {
    await loadDepartments(mine);
  } catch (err) {
    return showLogin(err.message);
  }
  if (mine !== session) return;
  document.body.dataset.state = 'loading';
  const ctx = context();
  await Promise.all(only.map((p) => loadPanel(p, ctx, mine)));
  if (mine !== session) return;
  ui.updated.textContent = t('dashboard.updated', { time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(ctx.to) });
  document.body.dataset.state = 'ready';
}

function showDashboard() {
  session += 1;
  say('', 'info');
  ui.login.hidden = true;
  ui.dashboard.hidden = false;
  ui.controls.hidden = false;
  if (timer) clearInterval(timer);
  timer = setInterval(() => void loadAll(), REFRESH_MS);
  void loadAll();
}

ui.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = ui.token.value.trim();
  if (!token) return;
  ui.submit.disabled = true;
  say(t('dashboard.signIn.checking'), 'info');
  try {
    // a bad token is told on the form, before the dashboard shows
    await apiGet('/api/departments', {}, token);
    storeToken(token);
    ui.token.value = '';
    showDashboard();
  } catch (err) {
    say(err.message, 'error');
  } finally {
    ui.submit.disabled = false;
  }
});

$('#logout').addEventListener('click', () => showLogin(t('dashboard.signIn.signedOut'), 'info'));
$('#refresh').addEventListener('click', () => void loadAll());
ui.window.addEventListener('change', () => void loadAll([tiles, chart, feedback]));
ui.chartMetric.addEventListener('change', () => void loadAll([chart]));
ui.chartDepartment.addEventListener('change', () => void loadAll([chart]));
ui.controls.addEventListener('submit', (event) => event.preventDefault());

if (storedToken()) showDashboard();
else ui.login.hidden = false;
