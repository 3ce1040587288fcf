import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSeedExamples, train, wordExamples } from '../../classifiers';
import { loadDepartments } from '../../src/config/departments';
import { DEFAULT_DEPARTMENTS, type Department } from '../../src/domain/department';
import { Router } from '../../src/routing/router';
import { warnUnreachable, wordThresholds } from '../../src/runtime/classifier';
import type { Logger } from '../../src/runtime/logger';

const legal: Department = {
  key: 'legal',
  name: 'Legal',
  sla: { firstResponseMinutes: 240, resolutionMinutes: 4800 },
  description: 'Data protection, GDPR and privacy requests, lawyers, contracts, trademarks and legal complaints.',
  examples: [
    'Please delete all my personal data under GDPR',
    'Our lawyer needs the data processing agreement signed',
    'We received a cease and desist letter about your trademark',
    'I want a copy of all the personal data you store about me',
    'Ich verlange die Löschung meiner Daten nach DSGVO',
    'Mein Anwalt wird sich wegen der Datenschutzverletzung melden',
    'Bitte schicken Sie uns den Auftragsverarbeitungsvertrag',
  ],
};
const departments = [...DEFAULT_DEPARTMENTS, legal];

describe('departments from words', function () {
  const seed = loadSeedExamples();
  const model = train([...seed, ...wordExamples(departments, seed)]);
  const router = new Router(model, { threshold: 0.8, thresholds: wordThresholds(departments, model), departments: departments.map((d) => d.key) });

  it('routes matching messages in English and German to a described department that has no examples', function () {
    assert.ok(!seed.some((e) => e.label === 'legal'));
    for (const text of [
      'Under the GDPR I request that you delete my personal data',
      'My lawyer will contact you about the contract',
      'Ich möchte Auskunft über meine gespeicherten Daten nach der DSGVO',
    ]) {
      const d = router.route(text);
      assert.equal(d.department, 'legal', `${text}: ${JSON.stringify(d.scores)}`);
    }
  });

  it('keeps routing the other departments as before', function () {
    assert.equal(router.route('My thermostat shows an error and the heating stays cold').label, 'support');
    assert.notEqual(router.route('How much does the Plus subscription cost for three homes?').department, 'legal');
  });

  it('lets a word-taught department through at the lower threshold and no other', function () {
    assert.equal(router.thresholdFor('legal'), 0.5);
    assert.equal(router.thresholdFor('support'), 0.8);
  });

  it('stops teaching the words once the department has enough examples of its own', function () {
    const own = Array.from({ length: 20 }, (_, i) => ({ text: `legal case ${i}`, label: 'legal' }));
    assert.equal(wordExamples(departments, [...seed, ...own]).length, 0);
    assert.equal(wordExamples(departments, seed).length, 8, 'one sentence of description and seven examples');
  });

  it('warns at start about a department the model cannot route to', function () {
    const lines: Array<{ obj: unknown; msg: string }> = [];
    const logger = { warn: (obj: unknown, msg: string) => lines.push({ obj, msg }) } as unknown as Logger;
    const bare: Department = { key: 'press', name: 'Press', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } };
    warnUnreachable([...departments, bare], model, logger);
    assert.deepEqual(lines.map((l) => l.obj), [{ department: 'press' }]);
    assert.match(lines[0]!.msg, /cannot route to department "press".*nothing reaches it/);
  });

  it('reads a description and examples from the departments file and rejects bad ones', function () {
    const file = path.join(os.tmpdir(), `departments-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify([{ key: 'legal', name: 'Legal', description: legal.description, examples: legal.examples, sla: legal.sla }]));
    assert.deepEqual(loadDepartments(file)[0]?.examples, legal.examples);
    fs.writeFileSync(file, JSON.stringify([{ key: 'legal', name: 'Legal', examples: 'GDPR', sla: legal.sla }]));
    assert.throws(() => loadDepartments(file), /legal|examples/);
    fs.unlinkSync(file);
  });
});
