import assert from 'node:assert/strict';
import { trimReply } from '../../connectors/email/trim';

describe('e-mail text for classification', () => {
  it('cuts English and German quoted history and the lines quoted with >', () => {
    assert.equal(trimReply('Thanks, the price works.\n\nOn Mon, 1 Dec 2026 at 10:00, Support <s@acme.test> wrote:\n> it is broken'), 'Thanks, the price works.');
    assert.equal(trimReply('Passt so.\n\nAm 01.12.2026 um 10:00 schrieb Support <s@acme.test>:\n> kaputt'), 'Passt so.');
    // a client that wraps the attribution over two lines
    assert.equal(trimReply('Yes.\nOn Mon, 1 Dec 2026 at 10:00, Support Team <support@acme.test>\nwrote:\n> old'), 'Yes.');
    assert.equal(trimReply('> you said\nI disagree.\n> and this\nAnd this.'), 'I disagree.\nAnd this.');
  });

  it('cuts Outlook\'s header block and the signature, and keeps a closing that starts a mail', () => {
    assert.equal(trimReply('New order please.\n\nFrom: Support <s@acme.test>\nSent: Monday\nSubject: x\n\nold text'), 'New order please.');
    assert.equal(trimReply('Where is my parcel?\n-- \nAnna Kunde\nACME GmbH'), 'Where is my parcel?');
    assert.equal(trimReply('Where is my parcel?\n\nMit freundlichen Grüßen\nAnna Kunde'), 'Where is my parcel?');
    assert.equal(trimReply('Thanks\nfor nothing: the heater is still broken and I want a refund today.\nYour service has been\nslow for weeks\nand nobody called back\nor wrote\nor anything at all.'), 'Thanks\nfor nothing: the heater is still broken and I want a refund today.\nYour service has been\nslow for weeks\nand nobody called back\nor wrote\nor anything at all.');
  });
});
