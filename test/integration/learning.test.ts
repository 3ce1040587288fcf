import assert from 'node:assert/strict';
import { loadSeedExamples, train, TrainedClassifier } from '../../classifiers';
import { retrain } from '../../src/learning/retrain';
import { ClassifierModelModel } from '../../src/store/models/classifier-model';
import { TrainingExampleModel } from '../../src/store/models/training-example';
import { ModelHolder } from '../../src/runtime/classifier';
import { createLogger } from '../../src/runtime/logger';
import { activeVersion, saveActiveModel } from '../../src/store/repositories/classifier-models';
import { clearCollections, useTestDatabase } from '../support/database';

const DOCS = ['declaration of conformity', 'CE certificate', 'RoHS statement', 'safety data sheet', 'test report', 'EPREL energy label'];
const ITEMS = ['Hub 2', 'radiator valve', 'room sensor', 'boiler relay', 'window contact'];
const ASKS = ['Could you send me the {doc} for the {item}?', 'Where do I find the {doc} of your {item}', 'need the {doc} for {item} asap pls', 'Our auditor asks for the {doc} (model {item}).'];

/** A kind of message our seed examples never saw: compliance paperwork requests. */
function paperwork(): string[] {
  const texts: string[] = [];
  for (const doc of DOCS) for (const item of ITEMS) texts.push(ASKS[texts.length % ASKS.length]!.replace('{doc}', doc).replace('{item}', item));
  return texts;
}

const majority = (labels: string[]) =>
  Object.entries(labels.reduce<Record<string, number>>((n, l) => ({ ...n, [l]: (n[l] ?? 0) + 1 }), {})).sort((a, b) => b[1] - a[1])[0]?.[0];

describe('learning from corrections (FerretDB, real classifier)', function () {
  this.timeout(60_000);
  useTestDatabase();
  let seedModel: TrainedClassifier;
  before(() => {
    seedModel = train(loadSeedExamples());
  });
  beforeEach(async () => {
    await clearCollections();
    await saveActiveModel({ labels: seedModel.labels, trainedOn: 1, metrics: {}, data: seedModel.serialize() });
  });
  const options = { minNewCorrections: 20, maxAgeMs: 3_600_000 };

  it('moves the routing of a new kind of message after a stream of corrections, in a new model version', async () => {
    const texts = paperwork();
    const probes = texts.filter((_, i) => i % 5 === 0);
    const before = majority(probes.map((t) => seedModel.classify(t).label));
    const target = before === 'sales' ? 'product' : 'sales';
    const corrections = texts.filter((_, i) => i % 5 !== 0);
    for (const text of corrections) await TrainingExampleModel.create({ text, label: target, source: 'correction' });

    const result = await retrain(seedModel, options);
    assert.equal(result.outcome, 'promoted', result.outcome === 'promoted' ? '' : result.reason);
    if (result.outcome !== 'promoted') return;
    const after = probes.map((t) => result.classifier.classify(t).label);
    assert.ok(after.filter((l) => l === target).length >= probes.length * 0.8, `probes now: ${after.join(', ')} (was mostly ${before})`);

    const versions = await ClassifierModelModel.find().sort({ version: 1 }).lean();
    assert.deepEqual(versions.map((v) => [v.version, v.active]), [[1, false], [2, true]]);
    assert.match(String((versions[1]?.metrics as { decision: string }).decision), /^not worse/);
    assert.ok(TrainedClassifier.deserialize(versions[1]!.data).classify(probes[0]!).label === target, 'the stored version routes the same');
  });

  it('waits for enough corrections, and keeps the current model when the candidate is worse', async () => {
    assert.equal((await retrain(seedModel, options)).outcome, 'skipped');
    // forty plain support requests mislabelled hr, then ten of them set right again: the candidate,
    // trained without the ten, learned the mistake and does worse on them than the current model
    const support = loadSeedExamples().filter((e) => e.label === 'support' && e.lang === 'en').map((e) => e.text);
    for (const text of support.slice(0, 40)) await TrainingExampleModel.create({ text, label: 'hr', source: 'correction' });
    for (const text of support.slice(0, 10)) await TrainingExampleModel.create({ text, label: 'support', source: 'correction' });
    const result = await retrain(seedModel, options);
    assert.equal(result.outcome, 'rejected');
    const versions = await ClassifierModelModel.find().sort({ version: 1 }).lean();
    assert.deepEqual(versions.map((v) => [v.version, v.active]), [[1, true], [2, false]]);
    assert.match(String((versions[1]?.metrics as { decision: string }).decision), /^worse/);
    assert.equal((await retrain(seedModel, options)).outcome, 'skipped', 'not retried on the same corrections');
  });

  it('counts a correction stored while a model trained as new to the next retraining', async () => {
    const support = loadSeedExamples().filter((e) => e.label === 'support' && e.lang === 'en').map((e) => e.text);
    for (const text of support.slice(0, 40)) await TrainingExampleModel.create({ text, label: 'hr', source: 'correction' });
    assert.notEqual((await retrain(seedModel, options)).outcome, 'skipped');
    const trained = (await ClassifierModelModel.findOne().sort({ version: -1 }).lean())!;
    // an agent's correction stored after the retraining read the examples, before it stored the model
    await TrainingExampleModel.collection.insertOne({ text: support[41]!, label: 'support', source: 'correction', createdAt: new Date(trained.createdAt.getTime() - 1) });
    const next = await retrain(seedModel, { ...options, minNewCorrections: 1 });
    assert.notEqual(next.outcome, 'skipped', next.outcome === 'skipped' ? next.reason : '');
  });

  it('two processes storing a model at once (both starting on a new database) each get a version', async () => {
    await clearCollections();
    const input = { labels: seedModel.labels, trainedOn: 1, metrics: {}, data: seedModel.serialize() };
    const versions = await Promise.all(Array.from({ length: 4 }, () => saveActiveModel(input)));
    assert.deepEqual([...versions].sort(), [1, 2, 3, 4]);
    assert.equal((await ClassifierModelModel.findOne({ active: true }).sort({ version: -1 }).lean())?.version, 4, 'the newest is in force');
  });

  it('a version activated late, after a newer one, leaves the newer one in force', async () => {
    await clearCollections();
    const input = { labels: seedModel.labels, trainedOn: 1, metrics: {}, data: seedModel.serialize() };
    const models = ClassifierModelModel as unknown as { updateMany: (...args: unknown[]) => unknown };
    const updateMany = models.updateMany;
    let newer = 0;
    // another process stores and activates its version after ours is stored, before ours is activated
    models.updateMany = async (...args: unknown[]) => {
      models.updateMany = updateMany;
      newer = await saveActiveModel(input);
      return updateMany.apply(ClassifierModelModel, args);
    };
    const older = await saveActiveModel(input);
    models.updateMany = updateMany;
    assert.deepEqual([older, newer], [1, 2]);
    assert.equal(await activeVersion(), 2);
  });

  it("picks up a version another process promoted, once, and keeps its own until then", async () => {
    const version = (await ClassifierModelModel.findOne({ active: true }, { version: 1 }).lean())!.version;
    const swapped: TrainedClassifier[] = [];
    const holder = new ModelHolder(seedModel, version, (next) => swapped.push(next));
    const stop = holder.watch(20, createLogger('silent'));
    try {
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(swapped.length, 0, 'its own version: nothing swapped');
      const other = train(loadSeedExamples().filter((_, i) => i % 2 === 0));
      const promoted = await saveActiveModel({ labels: other.labels, trainedOn: 2, metrics: {}, data: other.serialize() });
      for (let waited = 0; holder.version !== promoted && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      assert.equal(holder.version, promoted, 'the promoted version is in force');
      assert.equal(swapped.length, 1, 'loaded once');
      assert.equal(swapped[0]?.serialize(), other.serialize(), 'the model the other process trained');
    } finally {
      stop();
    }
  });
});
