/* global document, crypto, setInterval, clearInterval */
// The agents' inbox: sign in, the queue (filter, search), one conversation, and reply / note / assign / status /
// department / feedback through the REST API. It polls every 10 s so new messages and delivery states show.
import { apiGet, forgetToken, storedToken, storeToken } from './api.js';
import { clear, el } from './dom.js';
import { apiSend } from './inbox-api.js';
import { locale, t, translatePage } from './i18n.js';
import { decisionOf, draftItem, draftsSignature } from './inbox-drafts.js';
import { activityItem, historyItem, channelName, customerName, messageItem, nameOf, queueItem, routingLine, statusName } from './inbox-detail.js';

const POLL_MS = 10_000;

translatePage();
const $ = (selector) => document.querySelector(selector);

let session = 0;
let timer = null;
let departments = new Map();
let current = null;
let cursor = null;
// one key per reply the agent wrote: a retry after a lost answer sends the same key, so the customer gets it once
let replyKey = null;
let draftsShown = '';

const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

function say(node, text, kind = '') {
  node.textContent = text;
  node.className = `${node.id.endsWith('message') ? 'message' : 'status'} ${kind}`.trim();
  node.hidden = !text;
}

function showLogin(text, kind = 'error') {
  session += 1;
  forgetToken();
  if (timer) clearInterval(timer);
  timer = null;
  current = null;
  $('#inbox').hidden = true;
  $('#controls').hidden = true;
  $('#login').hidden = false;
  say($('#login-message'), text, kind);
}

/** An answer that says the token is gone sends the agent back to sign in; any other error shows where it happened. */
function failed(err, where) {
  if (err?.isAuth) return showLogin(err.message);
  say(where, err instanceof Error ? err.message : String(err), 'error');
  where.hidden = false;
}

async function loadDepartments() {
  const { data } = await apiGet('/api/departments');
  departments = new Map([['triage', t('dashboard.department.triage')], ...data.map((d) => [d.key, d.name])]);
  const options = () => [...departments].map(([key, name]) => el('option', { text: name, attrs: { value: key } }));
  const filter = $('#f-department');
  const chosen = filter.value;
  filter.replaceChildren(el('option', { text: t('dashboard.inbox.all'), attrs: { value: '' } }), ...options());
  filter.value = departments.has(chosen) ? chosen : '';
  $('#department').replaceChildren(...options());
}

async function loadQueue(append = false) {
  const mine = session;
  const query = { department: $('#f-department').value, status: $('#f-status').value, needsReply: $('#f-reply').value, q: $('#f-q').value.trim(), limit: 25, cursor: append ? cursor : undefined };
  try {
    const { data, nextCursor } = await apiGet('/api/conversations', query);
    if (mine !== session) return;
    const list = $('#queue');
    if (!append) clear(list);
    list.append(...data.map((c) => queueItem(c, departments, current)));
    cursor = nextCursor;
    $('#more').hidden = !nextCursor;
    $('#queue-meta').textContent = t('dashboard.inbox.shown', { count: `${new Intl.NumberFormat(locale).format(list.children.length)}${nextCursor ? '+' : ''}` });
    $('#queue-error').hidden = true;
  } catch (err) {
    if (mine === session) failed(err, $('#queue-error'));
  }
}

async function loadConversation(id) {
  const mine = session;
  try {
    const path = `/api/conversations/${encodeURIComponent(id)}`;
    const [{ data: c }, { data: history }, { data: drafts }] = await Promise.all([apiGet(path), apiGet(`${path}/history`), apiGet(`${path}/drafts`)]);
    if (mine !== session || current !== id) return;
    $('#h-detail').textContent = customerName(c.customer);
    const screening = c.blocked ? ` · ${t('dashboard.inbox.senderBlocked')}` : c.needsReply === false ? ` · ${t('dashboard.inbox.noReplyMeta')}` : '';
    $('#detail-meta').textContent = `${channelName(c.channel, c.kind)} · ${nameOf(departments, c.department)} · ${statusName(c.status)}${c.assignee?.name ? ` · ${t('dashboard.inbox.assignedTo', { name: c.assignee.name })}` : ''}${screening}`;
    $('#routing').replaceChildren(routingLine(c, departments));
    $('#status').value = c.status;
    $('#department').value = c.department;
    $('#feedback').checked = Boolean(c.productFeedback);
    $('#needs-reply').checked = c.needsReply !== false;
    $('#messages').replaceChildren(...c.messages.map(messageItem));
    const signature = `${id}|${draftsSignature(drafts)}`;
    if (signature !== draftsShown) $('#drafts').replaceChildren(...drafts.map(draftItem));
    draftsShown = signature;
    $('#drafts-section').hidden = drafts.length === 0;
    $('#activity').replaceChildren(...c.activity.map((a) => activityItem(a, departments)));
    $('#history').replaceChildren(...(history.length ? history.map((r) => historyItem(r, departments)) : [el('li', { text: t('dashboard.inbox.history.empty') })]));
    $('#detail').dataset.id = c.id;
    $('#detail').dataset.status = c.status;
    $('#detail-body').hidden = false;
    $('#detail-error').hidden = true;
  } catch (err) {
    if (mine === session) failed(err, $('#detail-error'));
  }
}

async function refresh() {
  await loadQueue();
  if (current) await loadConversation(current);
  $('#updated').textContent = t('dashboard.updated', { time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date()) });
  document.body.dataset.state = 'ready';
}

function open(id) {
  current = id;
  replyKey = null;
  $('#reply-text').value = '';
  $('#note-text').value = '';
  say($('#reply-status'), '');
  say($('#note-status'), '');
  for (const b of document.querySelectorAll('#queue button')) b.setAttribute('aria-current', b.dataset.id === id ? 'true' : 'false');
  return loadConversation(id);
}

/** Runs one change on the open conversation, then shows the result. */
async function act(send, statusNode = $('#detail-error')) {
  if (!current) return;
  try {
    await send(`/api/conversations/${encodeURIComponent(current)}`);
    await refresh();
  } catch (err) {
    failed(err, statusNode);
  }
}

async function sendReply(event) {
  event.preventDefault();
  const text = $('#reply-text').value.trim();
  if (!text || !current) return;
  replyKey ??= newKey();
  const button = $('#reply-send');
  button.disabled = true;
  say($('#reply-status'), t('dashboard.inbox.reply.sending'));
  try {
    const answer = await apiSend('POST', `/api/conversations/${encodeURIComponent(current)}/replies`, { text }, { 'Idempotency-Key': replyKey });
    replyKey = null;
    $('#reply-text').value = '';
    // an approval department holds it (202 with the draft): nothing went out yet
    say($('#reply-status'), t(answer?.draft ? 'dashboard.inbox.draft.held' : 'dashboard.inbox.reply.queued'));
    await refresh();
  } catch (err) {
    // no answer or a server fault: the reply may be stored, so a retry keeps its key; a refusal stored nothing
    const unknown = err?.status === 0 || err?.status >= 500;
    if (!unknown) replyKey = null;
    failed(err, $('#reply-status'));
    if (unknown) say($('#reply-status'), t('dashboard.inbox.reply.again', { message: err.message }), 'error');
  } finally {
    button.disabled = false;
  }
}

/** Approve, edit-and-approve or reject a held reply; a refusal (403 own reply, 409 decided) shows its message on the draft. */
async function decide(button) {
  const { item, path, body, problem } = decisionOf(button);
  const status = item.querySelector('.draft-status');
  if (problem) return say(status, problem, 'error');
  for (const b of item.querySelectorAll('button')) b.disabled = true;
  try {
    await apiSend('POST', `/api/conversations/${encodeURIComponent(current)}/drafts/${encodeURIComponent(item.dataset.draftId)}/${path}`, body);
    say($('#reply-status'), t(path === 'reject' ? 'dashboard.inbox.draft.rejectedDone' : 'dashboard.inbox.draft.approved'));
    await refresh();
  } catch (err) {
    if (err?.status === 401) return showLogin(err.message);
    for (const b of item.querySelectorAll('button')) b.disabled = false;
    say(status, err instanceof Error ? err.message : String(err), 'error');
  }
}

async function addNote(event) {
  event.preventDefault();
  const text = $('#note-text').value.trim();
  if (!text) return;
  await act(async (path) => {
    await apiSend('POST', `${path}/notes`, { text });
    $('#note-text').value = '';
  }, $('#note-status'));
}

function showInbox() {
  session += 1;
  $('#login').hidden = true;
  $('#inbox').hidden = false;
  $('#controls').hidden = false;
  if (timer) clearInterval(timer);
  timer = setInterval(() => void refresh(), POLL_MS);
  void loadDepartments().then(refresh, (err) => failed(err, $('#queue-error')));
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = $('#token').value.trim();
  if (!token) return;
  say($('#login-message'), t('dashboard.signIn.checking'), 'info');
  try {
    await apiGet('/api/departments', {}, token);
    storeToken(token);
    $('#token').value = '';
    showInbox();
  } catch (err) {
    say($('#login-message'), err.message, 'error');
  }
});

$('#queue').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-id]');
  if (button) void open(button.dataset.id);
});
$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadQueue();
});
for (const id of ['#f-department', '#f-status', '#f-reply']) $(id).addEventListener('change', () => void loadQueue());
$('#f-q').addEventListener('change', () => void loadQueue());
$('#more').addEventListener('click', () => void loadQueue(true));
$('#refresh').addEventListener('click', () => void refresh());
$('#logout').addEventListener('click', () => showLogin(t('dashboard.signIn.signedOut'), 'info'));
$('#reply-form').addEventListener('submit', (event) => void sendReply(event));
$('#note-form').addEventListener('submit', (event) => void addNote(event));
$('#drafts').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-decide]');
  if (button && current) void decide(button);
});
$('#assign-me').addEventListener('click', () => void act((path) => apiSend('POST', `${path}/assign`, { assignee: 'me' })));
$('#unassign').addEventListener('click', () => void act((path) => apiSend('POST', `${path}/assign`, { assignee: null })));
$('#status').addEventListener('change', () => void act((path) => apiSend('PATCH', path, { status: $('#status').value })));
$('#department').addEventListener('change', () => void act((path) => apiSend('PATCH', path, { department: $('#department').value })));
$('#routing').addEventListener('click', (event) => {
  const button = event.target.closest('#move-runner-up');
  if (button) void act((path) => apiSend('PATCH', path, { department: button.dataset.department }));
});
$('#feedback').addEventListener('change', () => void act((path) => apiSend('PATCH', path, { productFeedback: $('#feedback').checked })));
$('#needs-reply').addEventListener('change', () => void act((path) => apiSend('PATCH', path, { needsReply: $('#needs-reply').checked })));

if (storedToken()) showInbox();
else $('#login').hidden = false;
