import { strict as assert } from 'node:assert';
import type { LabelledExample } from '..';
import { decidePromotion, train } from '..';
import { EXAMPLES } from './fixtures';

/** Manual reassignments of a kind of message the seed examples never covered: invoices, now owned by billing. */
const CORRECTIONS: LabelledExample[] = [
  'Can you resend the invoice for March?',
  'The invoice shows the wrong company address',
  'I need a copy of my invoice for the tax office',
  'Please add our VAT number to the invoice',
  'Why does my invoice list two seats instead of one?',
  'Where do I download last year\u2019s invoices?',
  'Bitte schicken Sie mir die Rechnung für März noch einmal',
  'Auf der Rechnung steht die falsche Firmenadresse',
  'Ich brauche eine Kopie meiner Rechnung für das Finanzamt',
  'Bitte tragen Sie unsere USt-IdNr. auf der Rechnung ein',
].map((text) => ({ text, label: 'billing', weight: 2 }));

const NEW_MESSAGES = ['My invoice has the wrong address, can you fix it?', 'Die Rechnung für April fehlt noch'];

describe('classifiers: learning from corrections', function () {
  it('a stream of corrections for a new kind of message moves its routing, and the retrained model is promoted', function () {
    const seed = EXAMPLES.filter((_, i) => i % 10 !== 0);
    const current = train(seed);
    for (const text of NEW_MESSAGES) assert.notEqual(current.classify(text).label, 'billing');

    // recent labelled examples that neither model trains on
    const held = [CORRECTIONS[2]!, CORRECTIONS[8]!, ...EXAMPLES.filter((_, i) => i % 10 === 0)];
    const candidate = train([...seed, ...CORRECTIONS.filter((c) => !held.includes(c))]);
    for (const text of NEW_MESSAGES) assert.equal(candidate.classify(text).label, 'billing', text);

    const decision = decidePromotion(current, candidate, held);
    assert.equal(decision.promote, true, decision.reason);
    assert.ok(decision.candidate!.accuracy > decision.current!.accuracy);
  });

  it('keeps the current model when the candidate is worse on recent examples', function () {
    const seed = EXAMPLES.filter((_, i) => i % 5 !== 0);
    const current = train(seed);
    const scrambled = train(seed.map((e, i) => ({ ...e, label: seed[(i + 7) % seed.length]!.label })));
    const decision = decidePromotion(current, scrambled, EXAMPLES.filter((_, i) => i % 5 === 0));
    assert.equal(decision.promote, false, decision.reason);
    assert.equal(decidePromotion(undefined, scrambled, []).promote, true);
  });
});
