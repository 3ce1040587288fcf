import assert from 'node:assert/strict';
import request from 'supertest';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { de } from '../../src/i18n/de';
import { en } from '../../src/i18n/en';
import { ingestBatch } from '../../src/ingest/pipeline';
import { slackBudgetWarning } from '../../src/slack/budget-alerts';
import { DepartmentDirectory } from '../../src/slack/directory';
import { slackAlertSink } from '../../src/slack/sla-alerts';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { withoutJoiners } from '../support/mrkdwn';
import { blockActionsPayload, eventCallback, messageEvent } from '../support/slack-requests';
import { customerMentions } from '../support/slack-scenes';
import { CHANNELS, startSlackWorld, TRIAGE_CHANNEL, type SlackWorld } from '../support/slack-world';

const GERMAN_AGENT = { id: 'U0AGENTDE', name: 'jonas', displayName: 'Jonas', locale: 'de-DE' };
const MANAGERS = 'C0MANAGERS';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A catalogue text as a pattern: its `{name}` parts stand for anything. */
const pattern = (template: string) => template.split(/\{\w+\}/).map(escape).join('[\\s\\S]*?');
const GERMAN = Object.values(de).map((text) => new RegExp(`^${pattern(text)}`));
const GERMAN_WHOLE = Object.values(de).map((text) => new RegExp(`^${pattern(text)}$`));
// what only the English catalogue says: any of these in a German run is an English text that slipped through
const ENGLISH_ONLY = [...new Set(Object.values(en).flatMap((text) => text.split(/\{\w+\}/)).map((f) => f.trim()).filter((f) => /[a-z]{4}/.test(f) && !Object.values(de).some((g) => g.includes(f))))];

type Block = { type?: string; text?: { type?: string; text?: string; emoji?: boolean } | string; elements?: Block[]; placeholder?: { text?: string } };

/** Our words in a message: its notification text, mrkdwn parts (split at ' · '), button labels and menu placeholders. */
function oursIn(body: Record<string, unknown>): { starts: string[]; whole: string[]; parts: string[] } {
  const raw = body.blocks;
  const blocks = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as Block[];
  const whole: string[] = [];
  const parts: string[] = [];
  const walk = (b: Block) => {
    const text = typeof b.text === 'object' ? b.text : undefined;
    if (b.type === 'mrkdwn' && typeof b.text === 'string') parts.push(...withoutJoiners(b.text).split(' · '));
    if (text?.type === 'mrkdwn' && text.text) parts.push(...withoutJoiners(text.text).split(' · '));
    if (b.type === 'button' && text?.text) whole.push(text.text);
    if (b.placeholder?.text) whole.push(b.placeholder.text);
    for (const e of b.elements ?? []) walk(e);
  };
  blocks.forEach(walk);
  return { starts: [withoutJoiners(typeof body.text === 'string' ? body.text : '')], whole, parts };
}

describe('Slack under DEFAULT_LOCALE=de: every text of the card, thread, alert and budget paths is German', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SlackWorld;
  beforeEach(async () => {
    await clearCollections();
    w = await startSlackWorld({}, {}, 'de');
    w.slackApi.addUser(GERMAN_AGENT);
    w.slackApi.addChannel(MANAGERS, 'managers');
  });
  afterEach(() => w.close());

  async function webhookWrites(text: string, threadKey: string, externalId = threadKey) {
    const [result] = await ingestBatch([{ channel: 'webhook', account: 'shop', externalId, threadKey, kind: 'mention', author: { handle: '@kim' }, text, createdAt: new Date() }], w.pipeline);
    await w.runJobs();
    return (await ConversationModel.findById(result?.conversationId).lean())!;
  }

  it('cards (with a close second, from triage, moved), follow-ups, thread lines, SLA warnings and breaches, the budget warning', async () => {
    const agent = await bearer('agent');
    const close = await webhookWrites('the invoice is wrong', 't1');
    await webhookWrites('and it is still wrong', 't1', 't1-2');
    await webhookWrites('maybe later', 't2');
    // a German agent clicks: the redraw is in their language; the API moves one: the redraw is in the default
    await w.postSigned(blockActionsPayload({ user: GERMAN_AGENT.id, channel: CHANNELS.sales, messageTs: close.slack?.ts ?? '', actionId: 'sb_assign_me', value: String(close._id), responseUrl: 'http://127.0.0.1:9/unused' })).expect(200);
    await w.runJobs();
    await request(w.app).patch(`/api/conversations/${String(close._id)}`).set('Authorization', agent).send({ department: 'support' }).expect(200);
    await w.runJobs();

    // an X conversation: a reply from the web inbox, one in the thread by the German agent, a note through the API
    const { conversation, card } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    await request(w.app).post(`/api/conversations/${id}/replies`).set('Authorization', agent).set('X-Switchboard-Client', 'inbox').send({ text: 'Wir kümmern uns!' }).expect(202);
    await request(w.app).post(`/api/conversations/${id}/notes`).set('Authorization', agent).send({ text: 'angerufen' }).expect(201);
    const threadReply = w.slackApi.addMessage(CHANNELS.support, { user: GERMAN_AGENT.id, text: 'Noch etwas?', thread_ts: card.ts });
    await w.postSigned(eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: GERMAN_AGENT.id, text: 'Noch etwas?', ts: threadReply.ts, thread_ts: card.ts, parent_user_id: w.slackApi.identity.botUserId }) })).expect(200);
    await w.runJobs();

    const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), CHANNELS, TRIAGE_CHANNEL);
    const sink = slackAlertSink(w.slack.notifier, directory, MANAGERS);
    const item = { id, department: 'support', status: 'open', customer: { handle: '@lena_b' }, preview: 'my thermostat is broken', dueAt: new Date(), elapsedShare: 0.8 };
    await sink.warn({ ...item, target: 'firstResponse' });
    await sink.breach({ ...item, target: 'resolution', elapsedShare: 1.2 });
    await slackBudgetWarning(w.slack.notifier, MANAGERS)({ channel: 'x', account: 'acct-x-1', month: '2026-12', spentUsd: 0.08, budgetUsd: 0.1, text: 'logged only' });

    const calls = [...w.slackApi.callsTo('chat.postMessage'), ...w.slackApi.callsTo('chat.update')].filter((c) => c.status === 200 && !c.error);
    assert.ok(calls.length >= 14, `the run posted and redrew (${calls.length} calls)`);
    const seen = calls.map((c) => oursIn(c.body));
    // department names are the company's own words (DEPARTMENTS_FILE), not ours to translate
    const names = DEFAULT_DEPARTMENTS.map((d) => d.name);
    const texts = seen.flatMap((s) => [...s.starts, ...s.whole, ...s.parts]).map((text) => names.reduce((rest, name) => rest.split(name).join('‹department›'), text));
    for (const text of texts) for (const english of ENGLISH_ONLY) assert.ok(!text.includes(english), `English "${english}" in "${text}"`);
    // each notification text starts as a German catalogue text; each button and placeholder is one
    for (const text of seen.flatMap((s) => s.starts)) assert.ok(GERMAN.some((re) => re.test(text)), `not a German catalogue text: "${text}"`);
    for (const text of seen.flatMap((s) => s.whole)) assert.ok(GERMAN_WHOLE.some((re) => re.test(text)), `not a German catalogue text: "${text}"`);
    // the paths really ran: the close second, the thread line of the inbox reply, the alerts and the budget
    for (const expected of ['knapp dahinter: ‹department› 42 %', 'Nach ‹department› verschieben', 'test-agent hat im Web-Posteingang geantwortet:', 'test-agent hat über die API eine Notiz geschrieben:', 'Als Antwort veröffentlicht', 'Zugewiesen an Jonas', 'SLA verletzt in ‹department›', 'X-Kosten für acct-x-1: 0,08 von 0,10 USD', 'Erwähnung']) {
      assert.ok(texts.some((t) => t.includes(expected)), `"${expected}" was posted: ${JSON.stringify(texts)}`);
    }
  });
});
