import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeedExamples, readLabelledFile } from '..';

describe('classifiers: reading labelled files', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'classifier-data-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('reads CSV with quoted commas, quotes and newlines, an optional lang column, and ignores other columns', function () {
    const path = file(
      'history.csv',
      'id,text,label,lang,agent\n' +
        '1,"Hello, my order is late","support",en,anna\n' +
        '2,"Line one\nline two, with ""quotes""",product,,ben\n' +
        '3,Was kostet das?,sales,DE,\n',
    );
    assert.deepEqual(readLabelledFile(path), [
      { text: 'Hello, my order is late', label: 'support', lang: 'en' },
      { text: 'Line one\nline two, with "quotes"', label: 'product' },
      { text: 'Was kostet das?', label: 'sales', lang: 'de' },
    ]);
  });

  it('reads JSONL and skips blank lines', function () {
    const path = file('h.jsonl', '{"text":"Wo ist mein Paket?","label":"support","lang":"de"}\n\n{"text":"Jobs?","label":"hr"}\n');
    assert.deepEqual(readLabelledFile(path), [
      { text: 'Wo ist mein Paket?', label: 'support', lang: 'de' },
      { text: 'Jobs?', label: 'hr' },
    ]);
  });

  it('names the file and line of bad input', function () {
    assert.throws(() => readLabelledFile(file('a.csv', 'message,department\nhi,other\n')), /columns "text" and "label"/);
    assert.throws(() => readLabelledFile(file('b.jsonl', '{"text":"hi","label":"other"}\n{"text":"x"}\n')), /b\.jsonl:2: missing "label"/);
    assert.throws(() => readLabelledFile(file('c.jsonl', 'not json\n')), /c\.jsonl:1: not valid JSON/);
    assert.throws(() => readLabelledFile(file('d.txt', 'x')), /expected a \.csv or \.jsonl file/);
    assert.throws(() => readLabelledFile(join(dir, 'missing.csv')), /file not found/);
  });

  it('loads seed examples from en.jsonl and de.jsonl, and says which seed file is missing', function () {
    file('en.jsonl', '{"text":"Where is my order?","label":"support","lang":"en"}\n');
    assert.throws(() => loadSeedExamples(dir), /seed examples missing in .*: de\.jsonl/);
    file('de.jsonl', '{"text":"Wo ist meine Bestellung?","label":"support","lang":"de"}\n');
    assert.deepEqual(loadSeedExamples(dir).map((e) => e.lang), ['en', 'de']);
  });
});
