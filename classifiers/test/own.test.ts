import { strict as assert } from 'node:assert';
import type { LabelledExample } from '..';
import { train } from '..';

const en = (label: string, text: string, own = false): LabelledExample => ({ text, label, lang: 'en', ...(own ? { own, weight: 3 } : {}) });

/** Everywhere else "ticket" and "booking" mean support; at this company (a venue) they are how people buy. */
const general = [0, 1, 2].flatMap((n) => [
  ...['my ticket is broken', 'the booking page shows an error', 'I lost my ticket, please help', 'my booking was cancelled by mistake', 'ticket refund has not arrived'].map((t) => en('support', `${t} ${n}`)),
  ...['a quote for fifty licenses', 'what does the premium plan cost', 'discount for a yearly plan', 'price of the business tier', 'volume pricing for schools'].map((t) => en('sales', `${t} ${n}`)),
]);
const venue = ['two tickets for the friday concert', 'booking a box for the gala night', 'tickets for the matinee show', 'a booking for ten at the premiere', 'season tickets for the opera'].map((t) => en('sales', t, true));
const probes = ['four tickets for the saturday concert', 'booking seats for the gala premiere', 'tickets for the opera on sunday'];

describe('classifiers: a company\'s own examples', function () {
  it('move routing on its domain further than the same rows among everyone else\'s', function () {
    const rows = [...general, ...venue];
    const withStage = train(rows, { calibrationShare: 0 });
    const without = train(rows, { calibrationShare: 0, ownEpochs: 0 });
    const sales = (m: ReturnType<typeof train>) => probes.map((t) => m.classify(t).scores.sales!);
    for (const [i, p] of sales(withStage).entries()) {
      assert.ok(p > 0.5, `with its own rows: ${probes[i]} -> sales ${p}`);
      assert.ok(p > sales(without)[i]!, `the second stage adds to the first: ${p} vs ${sales(without)[i]}`);
    }
  });

  it('leave a model without own examples as it was, and keep seed-only routing', function () {
    const plain = train(general, { calibrationShare: 0 });
    const off = train(general, { calibrationShare: 0, ownEpochs: 0 });
    assert.deepEqual(plain.parts.weights, off.parts.weights);
    assert.equal(plain.classify('my ticket is broken again').label, 'support');
  });
});
