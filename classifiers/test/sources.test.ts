import { strict as assert } from 'node:assert';
import type { Classification } from '../../src/domain/classification';
import type { LabelledExample } from '..';
import { train } from '..';
import { adaptationCurve, dayOne, leaveOneSourceOut, type Trainer } from '../sources';
import { BaselineSvm } from '../baseline';

const row = (source: string, label: string, text: string): LabelledExample => ({ source, label, text, lang: 'en' });

/** Three small "companies": shop and bank share words; the garage speaks its own trade's language. */
const shop = [
  ...['my parcel never arrived', 'refund my broken order please', 'the delivery is late again', 'my order arrived damaged'].map((t) => row('shop', 'support', t)),
  ...['what does the premium plan cost', 'a quote for fifty licenses', 'price of the business tier', 'discount for a yearly plan'].map((t) => row('shop', 'sales', t)),
];
const bank = [
  ...['my card payment failed, refund please', 'the transfer never arrived', 'my card is broken', 'late refund of a payment'].map((t) => row('bank', 'support', t)),
  ...['what does a premium account cost', 'price of the business account', 'a quote for a company account', 'discount on the yearly fee'].map((t) => row('bank', 'sales', t)),
];
const garageSupport = ['gearbox grinds after the service', 'brake pads squeal since the inspection', 'clutch slips on the motorway', 'exhaust rattles after the repair'];
const garageSales = ['tyre fitting offer for four wheels', 'winter tyres deal for my van', 'tyre package with rims', 'new tyres offer for a hatchback'];
const garage = [0, 1, 2].flatMap((n) => [
  ...garageSupport.map((t) => row('garage', 'support', `${t} ${n}`)),
  ...garageSales.map((t) => row('garage', 'sales', `${t} ${n}`)),
]);
const rows = [...shop, ...bank, ...garage];

/** Records what it was trained on and answers a fixed label, so the figures can be worked out by hand. */
function recording(label: string, seen: LabelledExample[][]): Trainer {
  return (examples) => {
    seen.push(examples);
    return { classify: (): Classification => ({ label, confidence: 1, scores: { [label]: 1 } }) };
  };
}

describe('classifiers: source-wise evaluation', function () {
  it('leave one source out trains without the source (plus the extra rows) and tests on all of it, per source and pooled', function () {
    const seen: LabelledExample[][] = [];
    const extra = [row('seed', 'sales', 'our own seed example')];
    const r = leaveOneSourceOut(rows, { always: recording('support', seen) }, extra);
    assert.deepEqual(Object.keys(r.perSource), ['bank', 'garage', 'shop']);
    assert.deepEqual(seen.map((s) => [...new Set(s.map((e) => e.source))].sort()), [['garage', 'seed', 'shop'], ['bank', 'seed', 'shop'], ['bank', 'garage', 'seed']]);
    assert.deepEqual(r.perSource.garage!.always, { examples: 24, accuracy: 0.5, macroF1: 0.3334 });
    assert.equal(r.pooled.always!.examples, rows.length);
    assert.equal(r.pooled.always!.accuracy, 0.5);
  });

  it('reports ours and the baseline side by side from the same rows', function () {
    const r = leaveOneSourceOut(rows, { ours: (x) => train(x), baseline: (x) => BaselineSvm.train(x) });
    for (const source of ['bank', 'garage', 'shop']) assert.deepEqual(Object.keys(r.perSource[source]!), ['ours', 'baseline']);
    // shop and bank teach each other; nobody else speaks the garage's words
    assert.ok(r.perSource.shop!.ours!.accuracy >= 0.75, JSON.stringify(r.perSource.shop));
    assert.ok(r.perSource.bank!.baseline!.accuracy >= 0.75, JSON.stringify(r.perSource.bank));
  });

  it('adapt adds K stratified rows of the source with the given weight and tests on the rest', function () {
    const seen: LabelledExample[][] = [];
    const curve = adaptationCurve(rows, { always: recording('sales', seen) }, { source: 'garage', ks: [4, 8], weight: 3, draws: 2 });
    assert.deepEqual(curve.map((p) => [p.k, p.added, p.tested]), [[0, 0, 24], [4, 4, 20], [8, 8, 16]]);
    // day one once, then two draws per K
    assert.equal(seen.length, 5);
    const added = seen[3]!.filter((e) => e.source === 'garage');
    assert.equal(added.length, 8);
    assert.ok(added.every((e) => e.weight === 3));
    assert.equal(added.filter((e) => e.label === 'sales').length, 4, 'stratified by label');
    assert.equal(seen[0]!.filter((e) => e.source !== 'garage').length, 16);
    assert.equal(curve[1]!.figures.always!.accuracy, 0.5);
  });

  it('the learning curve rises when a new source brings its own words', function () {
    const curve = adaptationCurve(rows, { ours: (x) => train(x) }, { source: 'garage', ks: [8], weight: 3, draws: 1 });
    assert.ok(curve[1]!.figures.ours!.accuracy >= 0.9, JSON.stringify(curve));
    assert.ok(curve[1]!.figures.ours!.accuracy > curve[0]!.figures.ours!.accuracy, JSON.stringify(curve));
  });

  it('day one trains each model once on the seed alone and tests it on every source', function () {
    const seen: LabelledExample[][] = [];
    const seed = [row('seed', 'sales', 'our own seed example'), row('seed', 'support', 'another seed example')];
    const r = dayOne(rows, { always: recording('support', seen) }, seed);
    assert.deepEqual(seen, [seed]);
    assert.deepEqual(Object.keys(r.perSource), ['bank', 'garage', 'shop']);
    assert.equal(r.pooled.always!.examples, rows.length);
    assert.equal(r.perSource.garage!.always!.accuracy, 0.5);
  });

  it('a label that one large source dominates still learns the style of its other sources', function () {
    // support: 40 widget complaints from a shop and one gearbox complaint from a garage; a dealer's 40 sales rows speak of gearboxes
    const examples = [
      ...Array.from({ length: 40 }, (_, i) => row('shop', 'support', `my widget ${i} is broken`)),
      row('garage', 'support', 'the gearbox grinds loudly'),
      ...Array.from({ length: 40 }, (_, i) => row('dealer', 'sales', `gearbox grinds ${i}? our offer fixes it`)),
    ];
    const routed = (sourceBalance: number) => train(examples, { sourceBalance, calibrationShare: 0 }).classify('the gearbox grinds on the motorway');
    // at the app's usual threshold (0.8) the garage's next complaint is routed with it, and waits in triage without it
    assert.equal(routed(1).label, 'support');
    assert.ok(routed(1).confidence >= 0.9, JSON.stringify(routed(1).scores));
    assert.ok(routed(0).confidence < 0.8, JSON.stringify(routed(0).scores));
  });

  it('refuses a K that leaves nothing to test and a source with no rows', function () {
    assert.throws(() => adaptationCurve(rows, {}, { source: 'garage', ks: [24], weight: 3 }), /leaves nothing/);
    assert.throws(() => adaptationCurve(rows, {}, { source: 'nowhere', ks: [5], weight: 3 }), /no rows/);
  });
});
