import { strict as assert } from 'node:assert';
import { train, TrainedClassifier } from '..';
import { makeSpace, PairTable, vectorize } from '../features';
import { analyze } from '../text';
import { EXAMPLES } from './fixtures';

describe('classifiers: model parts', function () {
  it('fits a temperature per language when the calibration slice has enough of each, and keeps it in the saved model', function () {
    // 240 examples per language and half held out: 120 per language, above the minimum of 100
    const many = Array.from({ length: 6 }, () => EXAMPLES).flat();
    const model = train(many, { calibrationShare: 0.5 });
    const temps = model.parts.langTemperature;
    assert.ok(temps && temps.en! > 0 && temps.de! > 0, `langTemperature: ${JSON.stringify(temps)}`);
    assert.deepEqual(model.meta.calibration?.langTemperature, temps);
    const restored = TrainedClassifier.deserialize(model.serialize());
    assert.deepEqual(restored.parts.langTemperature, temps);
    for (const text of ['Die App stürzt ab', 'Where is my parcel?', '¿Dónde está mi pedido?']) {
      assert.deepEqual(restored.classify(text), model.classify(text));
    }
    // small data keeps one temperature
    assert.equal(train(EXAMPLES).parts.langTemperature, undefined);
  });

  it('reads models saved before per-language char n-grams and temperatures (no such fields) with the old features', function () {
    const old = train(EXAMPLES, { langChars: false, langTemperature: false, langMinCount: {} });
    const json = old.serialize();
    const saved = JSON.parse(json) as Record<string, unknown>;
    assert.equal('langChars' in saved, false);
    assert.equal('langTemperature' in saved, false);
    const restored = TrainedClassifier.deserialize(json);
    assert.equal(restored.parts.space.langChars, false);
    for (const text of ['Die App stürzt nach dem Update ab', 'I want a refund', 'hello']) assert.deepEqual(restored.classify(text), old.classify(text));
  });

  it('looks up bigrams by their two word ids', function () {
    const table = new PairTable([
      [0, 1, 7],
      [1, 0, 8],
      [70_000, 69_999, 9],
    ]);
    assert.equal(table.get(0, 1), 7);
    assert.equal(table.get(1, 0), 8);
    assert.equal(table.get(70_000, 69_999), 9);
    assert.equal(table.get(1, 1), -1);
    assert.equal(new PairTable([]).get(0, 0), -1);
  });

  it('refills a reused vector exactly as a new one', function () {
    const space = makeSpace(['\u0001lang:en', 'app', 'crash', 'app crash'], {
      charBuckets: 16, charNgrams: [3, 5], charWeight: 1, idf: new Float32Array(4 + 16).fill(1), langChars: true,
    });
    const scratch = vectorize(analyze('a long message about something else entirely', 'en'), 'en', space, true);
    for (const text of ['The app crash again', 'app', '']) {
      const tokens = analyze(text, 'en');
      assert.deepEqual(vectorize(tokens, 'en', space, true, scratch), vectorize(tokens, 'en', space, true));
      assert.deepEqual(vectorize(tokens, 'en', space, false, scratch), vectorize(tokens, 'en', space, false));
    }
  });
});
