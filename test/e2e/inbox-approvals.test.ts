import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DraftModel } from '../../src/store/models/draft';
import { MessageModel } from '../../src/store/models/message';
import { bearer, seedDepartments } from '../support/app';
import { closeBrowser, launchBrowser, openPage, signInToInbox } from '../support/browser';
import { serveOnLoopback, type Served } from '../support/serve';
import { clearCollections, useTestDatabase } from '../support/database';
import { customerMentions } from '../support/slack-scenes';
import { startSlackWorld, type SlackWorld } from '../support/slack-world';

describe('web inbox: replies held for approval, in headless Chromium', function () {
  this.timeout(120_000);
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
    w = await startSlackWorld({}, {}, undefined, {}, { support: 'approval' });
    served = await serveOnLoopback(w.app);
    base = served.url;
  });
  afterEach(async () => {
    await served.close();
    await w.close();
  });

  async function openConversation(page: Page, token: string, id: string): Promise<void> {
    await signInToInbox(page, base, token);
    await page.click(`#queue button[data-id="${id}"]`);
    await page.waitForSelector(`#detail[data-id="${id}"]`);
  }
  const text = (page: Page, selector: string) => page.locator(selector).first().textContent().then((t) => t ?? '');

  it('an agent’s reply is held; the agent cannot decide it, a manager approves it, a late second approver is told it was decided; sent once', async () => {
    const { conversation, tweet } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);

    const agent = await openPage(browser!);
    await openConversation(agent.page, await bearer('agent'), id);
    await agent.page.fill('#reply-text', 'Sorry Lena, a technician comes tomorrow.');
    await agent.page.click('#reply-send');
    await agent.page.waitForFunction(() => document.querySelector('#reply-status')?.textContent?.startsWith('Held for approval'));
    await agent.page.waitForSelector('#drafts li[data-state="pending"]');
    assert.equal(await text(agent.page, '#drafts li .draft-state'), 'Awaiting approval');
    assert.equal(await text(agent.page, '#drafts li .text'), 'Sorry Lena, a technician comes tomorrow.');
    assert.equal(await agent.page.locator('#drafts button[data-decide]').count(), 0, 'an agent token may not decide');
    assert.equal(await agent.page.locator('#messages li[data-direction="outbound"]').count(), 0, 'nothing is a reply yet');
    assert.deepEqual(w.jobs, []);

    // two deciders open it; the German one sees the catalogue's labels
    const manager = await openPage(browser!);
    await openConversation(manager.page, await bearer('manager'), id);
    const late = await openPage(browser!, { locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await openConversation(late.page, await bearer('admin'), id);
    assert.equal(await text(late.page, '#drafts li .draft-state'), 'Wartet auf Freigabe');
    assert.equal(await text(late.page, '#drafts button[data-decide="approve"]'), 'Freigeben');
    assert.equal(await text(late.page, '#drafts button[data-decide="edit"]'), 'Bearbeiten und freigeben');

    // a reject without a reason asks for one and sends nothing to the API
    await manager.page.click('#drafts button[data-decide="reject"]');
    assert.equal(await text(manager.page, '#drafts li [role="status"]'), 'Say why you reject it: the author is told.');
    await manager.page.click('#drafts button[data-decide="approve"]');
    await manager.page.waitForFunction(() => document.querySelector('#reply-status')?.textContent === 'Approved: the reply is queued for delivery.');
    await manager.page.waitForSelector('#drafts li[data-state="sent"]');
    assert.equal(await text(manager.page, '#drafts li .draft-state'), 'Approved and sent');
    await manager.page.waitForSelector('#messages li[data-direction="outbound"] [data-delivery="queued"]');

    // the admin's page still shows the buttons: its press gets the API's 409, shown on the draft, and changes nothing
    await late.page.click('#drafts button[data-decide="edit"]');
    await late.page.waitForFunction(() => /already/.test(document.querySelector('#drafts li [role="status"]')?.textContent ?? ''));
    assert.match(await text(late.page, '#drafts li [role="status"]'), /the draft is sent already/);
    assert.equal(await late.page.locator('#inbox').isHidden(), false, 'a refusal does not sign the admin out');

    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [['Sorry Lena, a technician comes tomorrow.', tweet.id]]);
    assert.equal(await MessageModel.countDocuments({ conversationId: id, direction: 'outbound' }), 1);
    const draft = await DraftModel.findOne({ conversationId: id }).lean();
    assert.deepEqual([draft?.state, draft?.decision?.by, draft?.author.id], ['sent', 'token:test-manager', 'token:test-agent']);
    await agent.page.click('#refresh');
    await agent.page.waitForSelector('#messages li[data-direction="outbound"] [data-delivery="sent"]');
    assert.deepEqual(
      await agent.page.$$eval('#activity li', (items) => items.map((li) => [li.getAttribute('data-type'), li.textContent?.replace(/^.* · /, '')])),
      [['draft', 'test-agent wrote a reply that waits for a decision'], ['draft-approved', 'test-manager approved a reply'], ['replied', 'test-agent replied']],
    );
    for (const p of [agent, manager, late]) {
      assert.deepEqual(p.problems, []);
      await p.context.close();
    }
  });

  it('a manager cannot decide the reply they wrote: no buttons, and the API’s 403 says why', async () => {
    const { conversation } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    const token = await bearer('manager');
    const { context, page, problems } = await openPage(browser!);
    await openConversation(page, token, id);
    await page.fill('#reply-text', 'We are on it.');
    await page.click('#reply-send');
    await page.waitForSelector('#drafts li[data-state="pending"]');
    assert.equal(await page.locator('#drafts button[data-decide]').count(), 0);
    const draftId = await page.getAttribute('#drafts li', 'data-draft-id');
    const answer = await page.evaluate(
      async ([path, bearerToken]) => {
        const res = await fetch(path, { method: 'POST', headers: { Authorization: bearerToken, 'Content-Type': 'application/json' }, body: '{}' });
        return { status: res.status, body: (await res.json()) as { error: { message: string } } };
      },
      [`/api/conversations/${id}/drafts/${draftId}/approve`, token] as const,
    );
    assert.equal(answer.status, 403);
    assert.match(answer.body.error.message, /cannot approve or reject it/);
    assert.deepEqual(w.jobs, []);
    assert.deepEqual(problems, []);
    await context.close();
  });
});
