import assert from 'node:assert/strict';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import type { PollResult } from '../../src/ingest/poll';
import { deliverReply } from '../../src/outbound/deliver';
import { recordAgentMessage } from '../../src/outbound/queue';
import { watchEmailAccounts } from '../../src/runtime/email';
import { createLogger } from '../../src/runtime/logger';
import { conversationBlocks } from '../../src/slack/blocks';
import { cardOf } from '../../src/slack/card';
import { DepartmentDirectory } from '../../src/slack/directory';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import type { EmailConnector } from '../../connectors/email';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { JOBS, mail, startMailWorld, SUPPORT, type MailWorld } from './email-setup';

describe('e-mail connector (dovecot IMAP, smtp-server, FerretDB)', function () {
  this.timeout(60_000);
  useTestDatabase();
  let world: MailWorld;
  const deps = (): PollDeps => ({ pipeline: { router: testRouter() }, logger: createLogger('silent'), owner: 'test-poller', leaseMs: 60_000 });
  const poll = (c: EmailConnector, account = SUPPORT) => pollAccount(c, account, deps());

  before(async () => {
    world = await startMailWorld();
  });
  after(() => world.stop());
  beforeEach(async () => {
    await clearCollections();
    await world.imap.clear(SUPPORT);
    await world.imap.clear(JOBS);
    await registerAccount({ channel: 'email', account: SUPPORT });
    await registerAccount({ channel: 'email', account: JOBS });
  });

  it('turns a new mail into a conversation whose card shows subject and attachments, not the files', async () => {
    const c = world.connector();
    await poll(c); // the account's first poll: an empty INBOX
    const { raw, messageId } = mail({ subject: 'Broken thermostat', text: 'My thermostat is broken since Monday.', attachment: { name: 'photo.pdf', content: 'x'.repeat(3000) } });
    await world.imap.deliver(SUPPORT, raw);
    const result = await poll(c);
    assert.equal(result.stored, 1);
    const conversation = await ConversationModel.findOne({ channel: 'email' }).lean();
    assert.equal(conversation?.department, 'support');
    assert.equal(conversation?.threadKey, messageId);
    assert.equal(conversation?.customer?.id, 'anna@customer.test');
    const first = await MessageModel.findById(conversation?.firstMessageId).lean();
    assert.equal(first?.externalId, messageId);
    const card = conversationBlocks(cardOf(conversation, first, new DepartmentDirectory([...DEFAULT_DEPARTMENTS])), []);
    const shown = JSON.stringify(card.blocks);
    assert.match(shown, /Subject: Broken thermostat/);
    assert.match(shown, /photo\.\u2060?pdf \(3 KB\)/);
    assert.doesNotMatch(shown, /eHh4/, 'the file itself is not on the card');
  });

  it('threads a customer\'s reply into the conversation, by References or by our reply\'s Message-ID alone', async () => {
    const c = world.connector();
    await poll(c);
    const opening = mail({ text: 'My thermostat is broken.' });
    await world.imap.deliver(SUPPORT, opening.raw);
    await poll(c);
    const conversation = await ConversationModel.findOne({ channel: 'email' }).lean();
    assert.ok(conversation);
    const reply = await recordAgentMessage({ conversation: { _id: conversation._id, channel: 'email', account: SUPPORT, kind: 'dm' }, text: 'Please restart it.', externalId: 'slack:C1:1.1', author: { id: 'U1', name: 'Agent' }, note: false });
    await deliverReply(reply.id, { connectorFor: () => c, maxAttempts: 3, retryBaseMs: 1, owner: 'test' });
    const ours = world.smtp.received.at(-1)?.messageId;
    assert.equal(ours, `<${String(reply.id)}@acme.test>`);
    // one client quotes the whole chain, another only names the mail it answers
    await world.imap.deliver(SUPPORT, mail({ text: 'Still broken.', inReplyTo: ours, references: [opening.messageId, ours] }).raw);
    await world.imap.deliver(SUPPORT, mail({ text: 'And now it beeps.', inReplyTo: ours }).raw);
    await poll(c);
    assert.equal(await ConversationModel.countDocuments({ channel: 'email' }), 1);
    assert.equal((await ConversationModel.findById(conversation._id).lean())?.messageCount, 3);
  });

  it('sends the reply with threading headers, text and escaped HTML, and the same Message-ID on a retry', async () => {
    const c = world.connector();
    await poll(c);
    const first = mail({ subject: 'Invoice 42', text: 'Where is my invoice?' });
    const second = mail({ subject: 'Re: Invoice 42', text: 'Hello?', inReplyTo: first.messageId, references: [first.messageId] });
    await world.imap.deliver(SUPPORT, first.raw);
    await world.imap.deliver(SUPPORT, second.raw);
    await poll(c);
    const conversation = await ConversationModel.findOne({ channel: 'email' }).lean();
    assert.ok(conversation);
    const reply = await recordAgentMessage({ conversation: { _id: conversation._id, channel: 'email', account: SUPPORT, kind: 'dm' }, text: 'It is <attached> & on its way.', externalId: 'slack:C1:2.2', author: { id: 'U1', name: 'Agent' }, note: false });
    const delivery = { connectorFor: () => c, maxAttempts: 3, retryBaseMs: 1, owner: 'test' };
    const before = world.smtp.received.length;
    world.smtp.failAfterData(451);
    assert.equal((await deliverReply(reply.id, delivery)).state, 'retry');
    assert.equal((await deliverReply(reply.id, delivery)).state, 'sent');
    const sent = world.smtp.received.slice(before);
    assert.equal(sent.length, 2);
    assert.equal(sent[0]?.messageId, sent[1]?.messageId);
    assert.deepEqual(sent[1]?.to, ['anna@customer.test']);
    assert.equal(sent[1]?.from, SUPPORT);
    assert.equal(sent[1]?.subject, 'Re: Invoice 42');
    assert.equal(sent[1]?.inReplyTo, second.messageId);
    assert.deepEqual(sent[1]?.references, [first.messageId, second.messageId]);
    assert.match(sent[1]?.text ?? '', /It is <attached> & on its way\./);
    assert.match(sent[1]?.html ?? '', /It is &lt;attached&gt; &amp; on its way\./);
    const stored = await MessageModel.findById(reply.id).lean();
    assert.equal(stored?.delivery?.sentExternalId, sent[0]?.messageId);
  });

  it('finds a reply whose answer was lost in the Sent folder and does not send it again', async () => {
    const c = world.connector();
    await poll(c);
    await world.imap.deliver(SUPPORT, mail({ text: 'Is it broken?' }).raw);
    await poll(c);
    const conversation = await ConversationModel.findOne({ channel: 'email' }).lean();
    assert.ok(conversation);
    const reply = await recordAgentMessage({ conversation: { _id: conversation._id, channel: 'email', account: SUPPORT, kind: 'dm' }, text: 'No.', externalId: 'slack:C1:3.3', author: { id: 'U1', name: 'Agent' }, note: false });
    const delivery = { connectorFor: () => c, maxAttempts: 3, retryBaseMs: 1, owner: 'test' };
    world.smtp.failAfterData(451);
    await deliverReply(reply.id, delivery);
    const ours = world.smtp.received.at(-1);
    // the server did deliver it and filed it under Sent, as a mail provider does
    await world.imap.createMailbox(SUPPORT, 'Sent').catch(() => undefined);
    await world.imap.deliver(SUPPORT, ours?.raw ?? '', 'Sent');
    const count = world.smtp.received.length;
    assert.equal((await deliverReply(reply.id, delivery)).state, 'sent');
    assert.equal(world.smtp.received.length, count, 'nothing sent twice');
  });

  it('routes mail of a mailbox with a department hint there, and the classifier decides without one', async () => {
    const jobs = world.connector({ address: JOBS, department: 'hr' });
    const support = world.connector();
    await poll(jobs, JOBS);
    await poll(support);
    await world.imap.deliver(JOBS, mail({ to: JOBS, text: 'What is the price of your product?' }).raw);
    await world.imap.deliver(SUPPORT, mail({ text: 'What is the price of your product?' }).raw);
    await poll(jobs, JOBS);
    await poll(support);
    const hinted = await ConversationModel.findOne({ account: JOBS }).lean();
    assert.deepEqual([hinted?.department, hinted?.routing.rule], ['hr', 'hint hr']);
    assert.equal((await ConversationModel.findOne({ account: SUPPORT }).lean())?.department, 'sales');
  });

  it('stores an HTML-only mail as text, and classifies it without its quoted history and signature', async () => {
    const c = world.connector();
    await poll(c);
    await world.imap.deliver(SUPPORT, mail({ html: '<html><body><p>What is the <b>price</b> for 40 units?</p><p>Thanks!<br>Anna</p></body></html>' }).raw);
    const quoted = 'What is the price for 40 units?\n\nBest regards,\nAnna\n--\nAnna Kunde, ACME\n\nOn Mon, 1 Dec 2026 at 10:00, Support <support@acme.test> wrote:\n> Your thermostat is broken, we know.';
    await world.imap.deliver(SUPPORT, mail({ from: 'ben@customer.test', text: quoted }).raw);
    await poll(c);
    const html = await MessageModel.findOne({ 'author.id': 'anna@customer.test' }).lean();
    assert.match(html?.text ?? '', /What is the price for 40 units\?/);
    assert.doesNotMatch(html?.text ?? '', /<b>|<p>/);
    const withQuote = await ConversationModel.findOne({ 'customer.id': 'ben@customer.test' }).lean();
    // "broken" is only in the quote: the classifier never saw it
    assert.equal(withQuote?.department, 'sales');
    const stored = await MessageModel.findById(withQuote?.firstMessageId).lean();
    assert.match(stored?.text ?? '', /Your thermostat is broken/, 'the full text is kept');
  });

  it('reads only the newest mails on an account\'s first poll, then each new one once, across a restart', async () => {
    for (let i = 0; i < 4; i += 1) await world.imap.deliver(JOBS, mail({ to: JOBS, text: `old application ${i} for the job` }).raw);
    const first = await poll(world.connector({ address: JOBS, firstPollMails: 2 }), JOBS);
    assert.equal(first.stored, 2);
    await world.imap.deliver(JOBS, mail({ to: JOBS, text: 'a new application for the job' }).raw);
    // a restart: a new connector, the cursor from the store
    const again = world.connector({ address: JOBS, firstPollMails: 2 });
    assert.equal((await poll(again, JOBS)).stored, 1);
    assert.equal((await poll(world.connector({ address: JOBS }), JOBS)).stored, 0);
    assert.equal(await MessageModel.countDocuments({ account: JOBS }), 3);
  });

  it('re-reads a mailbox whose UIDVALIDITY changed without storing anything twice', async () => {
    await world.imap.createMailbox(SUPPORT, 'Partners');
    const c = world.connector({ mailboxes: ['Partners'] });
    await poll(c);
    const mails = [mail({ text: 'partner question one, price?' }), mail({ text: 'partner question two, price?' })];
    for (const m of mails) await world.imap.deliver(SUPPORT, m.raw, 'Partners');
    assert.equal((await poll(c)).stored, 2);
    const before = ((await ChannelAccountModel.findOne({ channel: 'email', account: SUPPORT }).lean())?.cursor as Record<string, string>)['Partners:uidValidity'];
    const added = mail({ text: 'a third one that came with the move, price?' });
    await world.imap.recreate(SUPPORT, 'Partners', [...mails, added].map((m) => m.raw));
    const reread = await poll(c);
    assert.deepEqual([reread.stored, reread.duplicates], [1, 2]);
    const after = ((await ChannelAccountModel.findOne({ channel: 'email', account: SUPPORT }).lean())?.cursor as Record<string, string>)['Partners:uidValidity'];
    assert.notEqual(after, before);
    assert.equal(await MessageModel.countDocuments({ channel: 'email' }), 3);
  });

  it('leaves the cursor when storing fails, and the next poll stores each mail once', async () => {
    const c = world.connector();
    await poll(c);
    await world.imap.deliver(SUPPORT, mail({ text: 'is it broken?' }).raw);
    const router = testRouter();
    const failing: PollDeps = { ...deps(), pipeline: { router: Object.assign(Object.create(router) as typeof router, { route: () => { throw new Error('store down'); } }) } };
    const cursor = (await ChannelAccountModel.findOne({ channel: 'email', account: SUPPORT }).lean())?.cursor;
    assert.equal((await pollAccount(c, SUPPORT, failing)).outcome, 'unavailable');
    assert.deepEqual((await ChannelAccountModel.findOne({ channel: 'email', account: SUPPORT }).lean())?.cursor, cursor);
    assert.equal((await poll(c)).stored, 1);
    assert.equal(await MessageModel.countDocuments({ channel: 'email' }), 1);
  });

  it('marks the account failing when the IMAP server refuses the login', async () => {
    const c = world.connector({ imap: world.imap.settings(SUPPORT, 'wrong-password') });
    const result = await poll(c);
    assert.equal(result.outcome, 'failing');
    const account = await ChannelAccountModel.findOne({ channel: 'email', account: SUPPORT }).lean();
    assert.equal(account?.status, 'failing');
    assert.match(account?.statusReason ?? '', /refused the credentials/);
  });

  it('picks up a new mail through IMAP IDLE, with no scheduled poll', async () => {
    const c = world.connector();
    await poll(c);
    const polled: PollResult[] = [];
    let stored: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (stored = resolve));
    let connected: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const stop = watchEmailAccounts([{ connector: c, account: SUPPORT, intervalMs: 3_600_000 }], deps(), createLogger('silent'), {
      onPolled: (r) => {
        polled.push(r);
        if (polled.length === 1) connected();
        if (r.stored > 0) stored();
      },
    });
    try {
      await ready; // the catch-up poll on connecting
      await world.imap.deliver(SUPPORT, mail({ text: 'idle: my thermostat is broken' }).raw);
      await arrived;
      assert.equal(await MessageModel.countDocuments({ channel: 'email' }), 1);
    } finally {
      await stop();
    }
  });
});
