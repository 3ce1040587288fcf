import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSeedExamples, train } from '../../classifiers';
import { loadOrTrainClassifier } from '../../src/runtime/classifier';
import { createLogger } from '../../src/runtime/logger';
import { ClassifierModelModel } from '../../src/store/models/classifier-model';
import { TrainingExampleModel } from '../../src/store/models/training-example';
import { saveActiveModel } from '../../src/store/repositories/classifier-models';
import { clearCollections, useTestDatabase } from '../support/database';
import { runScript } from '../support/process';

const ASKS = [
  'Please delete all my personal data under {law}',
  'Our lawyer asks for the {doc} before we sign',
  'Ich verlange Auskunft nach {law} über meine gespeicherten Daten',
  'Bitte schicken Sie uns den {doc} zur Prüfung durch unsere Rechtsabteilung',
];
const LAWS = ['GDPR article 17', 'DSGVO Art. 15', 'the CCPA', 'Art. 21 DSGVO', 'GDPR article 20'];
const DOCS = ['data processing agreement', 'Auftragsverarbeitungsvertrag', 'NDA', 'Rahmenvertrag', 'liability clause'];

/** Requests for the legal team, a department our defaults do not have: 40 for the history, 8 never seen. */
function legalRequests(): string[] {
  const out: string[] = [];
  for (const ask of ASKS) for (let i = 0; i < 12; i++) out.push(ask.replace('{law}', LAWS[i % LAWS.length]!).replace('{doc}', DOCS[(i * 3) % DOCS.length]!) + (i >= 5 ? ` (ref ${i})` : ''));
  return out;
}

const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('learning a company history from the command line (FerretDB, real classifier)', function () {
  this.timeout(120_000);
  const db = useTestDatabase();
  let dir: string;
  let env: Record<string, string>;
  const legal = legalRequests();
  const unseen = legal.filter((_, i) => i % 6 === 0);
  const seen = legal.filter((_, i) => i % 6 !== 0);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-history-'));
    env = { MONGODB_URI: db.uri(), DB_NAME: db.dbName() };
    await clearCollections();
    const seedModel = train(loadSeedExamples());
    await saveActiveModel({ labels: seedModel.labels, trainedOn: 1, metrics: {}, data: seedModel.serialize() });
    await TrainingExampleModel.create({ text: 'the invoice shows the wrong VAT number', label: 'support', source: 'correction' });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('npm run classifier -- train --data history.csv stores the history and makes a model that routes to its new department active', async () => {
    const support = loadSeedExamples().filter((e) => e.label === 'support').slice(0, 30);
    const rows = [...seen.map((text) => ({ text, label: 'legal' })), ...support.map((e) => ({ text: e.text, label: 'support' }))];
    const file = path.join(dir, 'history.csv');
    fs.writeFileSync(file, 'text,label,agent\n' + rows.map((r) => `${csvField(r.text)},${r.label},anna`).join('\n') + '\n');
    assert.notEqual((await loadOrTrainClassifier(createLogger('silent'))).classifier.classify(unseen[0]!).label, 'legal');

    const done = await runScript('classifiers/cli.ts', ['train', '--data', file], env).done;
    assert.equal(done.code, 0, done.stderr);
    const out = JSON.parse(done.stdout.trim()) as { version: number; imported: number; labels: string[]; heldOut: { examples: number; accuracy: number } };
    assert.equal(out.imported, rows.length);
    assert.ok(out.labels.includes('legal'));
    assert.equal(out.heldOut.examples, Math.round(rows.length * 0.2));
    assert.match(done.stderr, new RegExp(`model version ${out.version} is active`));

    assert.equal(await TrainingExampleModel.countDocuments({ source: 'import' }), rows.length);
    const versions = await ClassifierModelModel.find({}, { data: 0 }).sort({ version: 1 }).lean();
    assert.deepEqual(versions.map((v) => [v.version, v.active]), [[1, false], [2, true]]);
    assert.equal(versions[1]!.trainedOn, loadSeedExamples().length + 1 + rows.length, 'seed, the stored correction and the history');
    assert.ok((versions[1]!.metrics as { heldOut: { accuracy: number } }).heldOut.accuracy > 0);

    // what the app loads (at start, or when it sees a new active version) now routes unseen legal requests to legal
    const { classifier, version } = await loadOrTrainClassifier(createLogger('silent'));
    assert.equal(version, 2);
    const routed = unseen.map((t) => classifier.classify(t).label);
    assert.ok(routed.filter((l) => l === 'legal').length >= unseen.length - 1, `unseen legal requests went to: ${routed.join(', ')}`);
  });

  it('refuses a file with a bad line, naming it, and stores nothing', async () => {
    const before = [await TrainingExampleModel.countDocuments(), await ClassifierModelModel.countDocuments()];
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"text":"fine","label":"legal"}\n{"text":"no label here"}\n');
    const done = await runScript('classifiers/cli.ts', ['train', '--data', bad], env).done;
    assert.equal(done.code, 2);
    assert.match(done.stderr, /bad\.jsonl:2: missing "label"/);
    assert.deepEqual([await TrainingExampleModel.countDocuments(), await ClassifierModelModel.countDocuments()], before);
    const missing = await runScript('classifiers/cli.ts', ['train', '--data', path.join(dir, 'nope.csv')], env).done;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--data file not found: .*nope\.csv/);
  });
});
