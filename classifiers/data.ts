import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { LabelledExample } from './train';

export const SEED_DIR = join(__dirname, 'seed');
export const SEED_FILES = ['en.jsonl', 'de.jsonl'];

export class LabelledDataError extends Error {
  readonly code = 'LABELLED_DATA_INVALID';
}

function toExample(row: Record<string, unknown>, where: string): LabelledExample {
  const { text, label, lang, source } = row;
  if (typeof text !== 'string' || text.trim() === '') throw new LabelledDataError(`${where}: missing "text"`);
  if (typeof label !== 'string' || label.trim() === '') throw new LabelledDataError(`${where}: missing "label"`);
  const example: LabelledExample = { text, label: label.trim() };
  if (typeof lang === 'string' && lang.trim() !== '') example.lang = lang.trim().toLowerCase();
  if (typeof source === 'string' && source.trim() !== '') example.source = source.trim();
  return example;
}

function parseJsonl(content: string, path: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new LabelledDataError(`${path}:${i + 1}: not valid JSON`);
    }
    if (typeof row !== 'object' || row === null) throw new LabelledDataError(`${path}:${i + 1}: not an object`);
    out.push(toExample(row as Record<string, unknown>, `${path}:${i + 1}`));
  });
  return out;
}

function parseCsv(content: string, path: string): LabelledExample[] {
  const rows = parse<Record<string, string>>(content, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
  const first = rows[0];
  if (first && (!('text' in first) || !('label' in first))) {
    throw new LabelledDataError(`${path}: the header needs the columns "text" and "label"`);
  }
  return rows.map((row, i) => toExample(row, `${path}: row ${i + 1}`));
}

/** Reads labelled examples from CSV (columns text,label and optional lang; others ignored) or JSONL. */
export function readLabelledFile(path: string): LabelledExample[] {
  if (!existsSync(path)) throw new LabelledDataError(`${path}: file not found`);
  const content = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return parseJsonl(content, path);
  if (ext === '.csv') return parseCsv(content, path);
  throw new LabelledDataError(`${path}: expected a .csv or .jsonl file`);
}

/** The product's own seed examples (classifiers/seed/en.jsonl and de.jsonl). */
export function loadSeedExamples(dir = SEED_DIR): LabelledExample[] {
  const missing = SEED_FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new LabelledDataError(`seed examples missing in ${dir}: ${missing.join(', ')} (lines of {"text","label","lang"})`);
  }
  return SEED_FILES.flatMap((f) => readLabelledFile(join(dir, f)));
}
