import { strict as assert } from 'node:assert';
import { detectLanguage, train, TrainedClassifier } from '..';
import { EXAMPLES, LEGAL } from './fixtures';

describe('classifiers: train and classify', function () {
  const model = train(EXAMPLES);

  it('returns probabilities over all labels that sum to 1, with the top one as label and confidence', function () {
    const c = model.classify('The app keeps crashing after the update');
    assert.deepEqual(Object.keys(c.scores).sort(), ['hr', 'other', 'product', 'sales', 'support']);
    const sum = Object.values(c.scores).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `scores sum to ${sum}`);
    assert.equal(c.label, 'product');
    assert.equal(c.confidence, Math.max(...Object.values(c.scores)));
  });

  it('routes unseen messages in English and German to the right department', function () {
    assert.equal(model.classify('I need a refund, my parcel never arrived').label, 'support');
    assert.equal(model.classify('Was kostet ein Angebot für 30 Lizenzen?').label, 'sales');
    assert.equal(model.classify('Are there open jobs for engineers? I want to apply').label, 'hr');
    assert.equal(model.classify('Die App stürzt nach dem Update ab').label, 'product');
  });

  it('detects the language of each message', function () {
    assert.equal(model.classify('Meine Bestellung ist immer noch nicht angekommen').lang, 'de');
    assert.equal(model.classify('My order still has not arrived').lang, 'en');
    assert.equal(detectLanguage('Ma commande n’est toujours pas arrivée, pouvez-vous vérifier ?'), 'und');
    assert.equal(detectLanguage('12345 !!!'), 'und');
  });

  it('classifies text in other languages without failing', function () {
    const c = model.classify('¿Dónde está mi pedido? Necesito ayuda');
    assert.equal(c.lang, 'und');
    assert.ok(model.labels.includes(c.label));
  });

  it('explains a decision with up to three words from the message', function () {
    const text = 'The android app crashes when uploading a photo';
    const { terms } = model.classify(text);
    assert.ok(terms && terms.length > 0 && terms.length <= 3, `terms: ${String(terms)}`);
    for (const t of terms) assert.ok(text.toLowerCase().includes(t), `${t} is not in the message`);
  });

  it('serializes without the training texts and restores identical predictions', function () {
    const json = model.serialize();
    for (const e of EXAMPLES) assert.ok(!json.includes(e.text), `serialized model contains "${e.text}"`);
    const restored = TrainedClassifier.deserialize(json);
    assert.deepEqual(restored.labels, model.labels);
    for (const text of ['Wo ist mein Paket?', 'Do you have a discount for schools?', 'hello', '']) {
      assert.deepEqual(restored.classify(text), model.classify(text));
    }
  });

  it('learns a department that is not among the defaults', function () {
    const withLegal = train([...EXAMPLES, ...LEGAL]);
    assert.ok(withLegal.labels.includes('legal'));
    assert.equal(withLegal.classify('Please delete my personal data, GDPR request').label, 'legal');
  });

  it('rejects training data with fewer than two labels and unknown model formats', function () {
    assert.throws(() => train(EXAMPLES.filter((e) => e.label === 'hr')), /at least two labels/);
    assert.throws(() => TrainedClassifier.deserialize('{"format":"other"}'), /not a switchboard-classifier/);
  });
});
