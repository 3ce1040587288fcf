import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ActivityModel } from '../../src/store/models/activity';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { bearer, seedDepartments } from '../support/app';
import { closeBrowser, launchBrowser, openPage, signInToInbox } from '../support/browser';
import { serveOnLoopback, type Served } from '../support/serve';
import { clearCollections, useTestDatabase } from '../support/database';
import { customerMentions } from '../support/slack-scenes';
import { startSlackWorld, type SlackWorld } from '../support/slack-world';

const XSS = '<img src=x onerror="window.__pwned=1">';

describe('web inbox in headless Chromium', function () {
  this.timeout(90_000);
  useTestDatabase();
  let w: SlackWorld;
  let served: Served;
  let base: string;
  let browser: Browser | undefined;

  before(async () => {
    browser = await launchBrowser();
  });
  after(() => closeBrowser(browser));
  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
    w = await startSlackWorld();
    served = await serveOnLoopback(w.app);
    base = served.url;
  });
  afterEach(async () => {
    await served.close();
    await w.close();
  });

  const signIn = (page: Page, token: string) => signInToInbox(page, base, token);

  it('an agent replies, notes, assigns and resolves; the reply goes out once through the fake X although the first answer was lost', async () => {
    const { conversation, tweet } = await customerMentions(w, `my thermostat is broken ${XSS}`);
    const id = String(conversation._id);
    const { context, page, problems } = await openPage(browser!);
    await signIn(page, await bearer('agent'));

    await page.click(`#queue button[data-id="${id}"]`);
    await page.waitForSelector(`#detail[data-id="${id}"]`);
    assert.equal(await page.locator('#messages li[data-direction="inbound"] .text').textContent(), `@kestrelhome my thermostat is broken ${XSS}`);
    assert.match((await page.locator('#routing').textContent()) ?? '', /Routed by the model/);

    // the server stores the first POST but its answer never reaches the page: pressing Send again must not send twice
    let lost = 0;
    await page.route('**/api/conversations/*/replies', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch();
      await route.abort('connectionreset');
    });
    const replayed: (string | undefined)[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/replies')) replayed.push(r.headers()['idempotent-replayed']);
    });
    await page.fill('#reply-text', 'Sorry Lena, we are on it!');
    await page.click('#reply-send');
    await page.waitForSelector('#reply-status.error');
    assert.match((await page.locator('#reply-status').textContent()) ?? '', /Press Send again/);
    await page.click('#reply-send');
    await page.waitForFunction(() => document.querySelector('#reply-status')?.textContent === 'Queued for delivery.');
    await page.waitForSelector('#messages li[data-direction="outbound"] [data-delivery="queued"]');
    assert.deepEqual(replayed, ['true'], 'the second press found the reply the lost request had stored');
    assert.equal(await page.locator('#messages li[data-direction="outbound"]').count(), 1);

    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    await page.click('#refresh');
    await page.waitForSelector('#messages li[data-direction="outbound"] [data-delivery="sent"]');
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [['Sorry Lena, we are on it!', tweet.id]]);

    await page.fill('#note-text', 'called the customer');
    await page.click('#note-send');
    await page.waitForSelector('#messages li[data-direction="note"]');
    await page.click('#assign-me');
    await page.waitForFunction(() => document.querySelector('#detail-meta')?.textContent?.includes('assigned to test-agent'));
    await page.check('#feedback');
    await page.waitForSelector('#activity li[data-type="feedback"]');
    await page.selectOption('#status', 'resolved');
    await page.waitForSelector('#detail[data-status="resolved"]');

    const stored = await ConversationModel.findById(id).lean();
    assert.deepEqual([stored?.status, stored?.assignee?.name, stored?.productFeedback], ['resolved', 'test-agent', true]);
    assert.ok(stored?.sla?.firstResponseAt && stored.sla.resolvedAt, 'both SLA clocks stopped');
    assert.deepEqual((await ActivityModel.find({ conversationId: id }).sort({ createdAt: 1 }).lean()).map((a) => a.type), ['replied', 'note', 'assigned', 'feedback', 'resolved']);
    assert.deepEqual(await page.$$eval('#activity li', (items) => items.map((li) => li.getAttribute('data-type'))), ['replied', 'note', 'assigned', 'feedback', 'resolved']);
    assert.equal(await MessageModel.countDocuments({ conversationId: id, direction: 'outbound' }), 1);
    assert.equal(w.x.fake.createdPosts.length, 1, 'one post on X');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('filters the queue by department and search, moves a conversation, and sends a bad token back to sign in', async () => {
    const support = await customerMentions(w, 'my thermostat is broken', 'lena_b');
    const sales = await customerMentions(w, 'what is the price for 40 units?', 'jo_bauer');
    const { context, page, problems } = await openPage(browser!);
    await signIn(page, await bearer('agent'));
    const listed = () => page.$$eval('#queue button', (bs) => bs.map((b) => b.getAttribute('data-id')));
    assert.deepEqual((await listed()).sort(), [String(support.conversation._id), String(sales.conversation._id)].sort());

    await page.selectOption('#f-department', 'sales');
    await page.waitForFunction(() => document.querySelectorAll('#queue button').length === 1);
    assert.deepEqual(await listed(), [String(sales.conversation._id)]);
    await page.selectOption('#f-department', '');
    await page.fill('#f-q', 'THERMOSTAT');
    await page.press('#f-q', 'Enter');
    await page.waitForFunction((id) => document.querySelectorAll('#queue button').length === 1 && document.querySelector(`#queue button[data-id="${id}"]`), String(support.conversation._id));

    await page.click(`#queue button[data-id="${String(support.conversation._id)}"]`);
    await page.waitForSelector(`#detail[data-id="${String(support.conversation._id)}"]`);
    await page.selectOption('#department', 'product');
    await page.waitForSelector('#activity li[data-type="reassigned"]');
    assert.equal((await ConversationModel.findById(support.conversation._id).lean())?.department, 'product');

    // the token is revoked elsewhere: the next refresh asks to sign in again
    await page.evaluate(() => sessionStorage.setItem('switchboard.dashboard.token', 'revoked'));
    await page.click('#refresh');
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.locator('#inbox').isHidden(), true);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a German browser sees German labels in the queue and the conversation, a close second with its move button; replying still works', async () => {
    const close = await customerMentions(w, 'the invoice is wrong', 'lena_b');
    const distant = await customerMentions(w, 'my thermostat is broken', 'jo_bauer');
    const { context, page, problems } = await openPage(browser!, { locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await page.goto(`${base}/dashboard/inbox`);
    await page.waitForFunction(() => document.querySelector('#login-title')?.textContent === 'Anmelden');
    assert.equal(await page.title(), 'Switchboard · Posteingang');
    await signIn(page, await bearer('agent'));
    const text = (selector: string) => page.locator(selector).first().textContent().then((t) => t ?? '');
    assert.equal(await text('#h-queue'), 'Gespräche');
    assert.equal(await text('#f-status option[value="open"]'), 'Offen');
    assert.equal(await page.getAttribute('#f-q', 'placeholder'), 'Kunde oder Text');
    assert.match(await text(`#queue button[data-id="${String(close.conversation._id)}"] small`), /Offen/);

    await page.click(`#queue button[data-id="${String(close.conversation._id)}"]`);
    await page.waitForSelector(`#detail[data-id="${String(close.conversation._id)}"]`);
    assert.match(await text('#detail-meta'), /^X Erwähnung · Sales · Offen/);
    const routing = await text('#routing');
    assert.match(routing, /^Vom Modell zugeordnet · Wahl des Modells: Sales \(55\s%\ssicher\)/);
    assert.match(routing, /knapp dahinter: Customer support \(42\s%\)/);
    assert.equal(await text('#move-runner-up'), 'Nach Customer support verschieben');
    assert.equal(await text('#reply-send'), 'Antwort senden');
    assert.equal(await text('#assign-me'), 'Mir zuweisen');
    assert.equal(await page.getAttribute('#messages', 'aria-label'), 'Nachrichten');
    assert.match(await text('#messages li[data-direction="inbound"] .head'), /Kunde/);

    await page.fill('#reply-text', 'Wir prüfen die Rechnung.');
    await page.click('#reply-send');
    await page.waitForFunction(() => document.querySelector('#reply-status')?.textContent === 'Zum Versand eingereiht.');
    assert.equal(await text('#messages li[data-direction="outbound"] [data-delivery]'), 'Eingereiht');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    await page.click('#refresh');
    await page.waitForSelector('#messages li[data-direction="outbound"] [data-delivery="sent"]');
    assert.equal(await text('#messages li[data-direction="outbound"] [data-delivery]'), 'Gesendet');
    assert.match(await text('#activity li[data-type="replied"]'), /test-agent hat geantwortet$/);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['Wir prüfen die Rechnung.']);
    // the thread in Slack hears where it was written (the world's DEFAULT_LOCALE is en)
    const thread = w.slackApi.thread(close.conversation.slack?.channel ?? '', close.conversation.slack?.ts ?? '').map((m) => m.text ?? '');
    assert.ok(thread.some((line) => line.replace(/\u2060/g, '') === 'test-agent replied from the web inbox: Wir prüfen die Rechnung.'), JSON.stringify(thread));

    await page.click('#move-runner-up');
    await page.waitForSelector('#activity li[data-type="reassigned"]');
    assert.match(await text('#activity li[data-type="reassigned"]'), /test-agent hat es nach Customer support verschoben$/);
    assert.equal((await ConversationModel.findById(close.conversation._id).lean())?.department, 'support');
    await page.waitForFunction(() => !document.querySelector('#move-runner-up'));

    await page.click(`#queue button[data-id="${String(distant.conversation._id)}"]`);
    await page.waitForSelector(`#detail[data-id="${String(distant.conversation._id)}"]`);
    assert.doesNotMatch(await text('#routing'), /knapp dahinter/);
    assert.equal(await page.locator('#move-runner-up').count(), 0);
    const visible = await page.locator('body').innerText();
    for (const english of ['Send reply', 'Assign to me', 'Conversations', 'Activity', 'Routed by', 'Open']) assert.ok(!visible.includes(english), `"${english}" on the German page`);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
