/**
 * npm run --silent classifier -- <command>
 *   evaluate --train A.csv --test B.csv [--json] [--model softmax|cnb]   train on A, print figures for B
 *   train --data history.csv|.jsonl                  store a company's history and make a model trained on it the app's active one
 *   train --data history.csv|.jsonl --out model.json [--model softmax|cnb]   offline: write the model to a file
 *   predict --model model.json ["text" ...]          no texts: one per stdin line; prints JSON per line
 * Results go to stdout, messages to stderr; invalid arguments exit with code 2.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { LabelledDataError, readLabelledFile } from './data';
import type { Prediction } from './evaluate';
import { predictAll, scorePredictions } from './evaluate';
import { TrainedClassifier } from './model';
import type { TrainOptions } from './train';
import { train } from './train';
import { suggestThreshold, triageAt } from './triage';

class UsageError extends Error {}

const USAGE =
  'usage: classifier evaluate --train A.csv --test B.csv [--json] [--model softmax|cnb] | train --data FILE [--out model.json [--model softmax|cnb]] | predict --model model.json ["text" ...]';

type Values = Record<string, string | boolean | undefined>;

/** Parses `--name value` options (`--json` is a flag); positionals are allowed only where `positionals` is set. */
function options(args: string[], names: string[], required: string[], positionals = false): { o: Values; rest: string[] } {
  const spec = Object.fromEntries(names.map((n) => [n, { type: n === 'json' ? ('boolean' as const) : ('string' as const) }]));
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: positionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  for (const r of required) if (typeof parsed.values[r] !== 'string') throw new UsageError(`--${r} is required`);
  return { o: parsed.values, rest: parsed.positionals };
}

function trainOptions(o: Values): TrainOptions {
  if (o.model === undefined) return {};
  if (o.model !== 'softmax' && o.model !== 'cnb') throw new UsageError(`--model must be softmax or cnb, got "${String(o.model)}"`);
  return { model: o.model };
}

function existing(path: string, what: string): string {
  if (!existsSync(path)) throw new UsageError(`${what} not found: ${path}`);
  return path;
}

function loadModel(path: string): TrainedClassifier {
  try {
    return TrainedClassifier.deserialize(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--model file ${path} is not a classifier model: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Triage at the threshold the model chose on its own calibration slice (else the best one on this test set). */
function triageFigures(model: TrainedClassifier, predictions: Prediction[]) {
  const chosen = model.meta.calibration?.triage.threshold;
  if (chosen === undefined) return { ...suggestThreshold(predictions), chosenOn: 'test' };
  return { ...triageAt(predictions, chosen), chosenOn: 'calibration' };
}

function evaluateCommand(args: string[]): void {
  const { o } = options(args, ['train', 'test', 'json', 'model'], ['train', 'test']);
  const trainSet = readLabelledFile(existing(o.train as string, '--train file'));
  const testSet = readLabelledFile(existing(o.test as string, '--test file'));
  const trainOpts = trainOptions(o);
  console.error(`training on ${trainSet.length} examples, testing on ${testSet.length}`);
  const t0 = performance.now();
  const model = train(trainSet, trainOpts);
  const trainSeconds = (performance.now() - t0) / 1000;
  // a running service is warm: load the detector and let the JIT settle on training texts, never on test texts
  for (const e of trainSet.slice(0, 1000)) model.classify(e.text);
  const { predictions, seconds } = predictAll(model, testSet);
  const result = {
    ...scorePredictions(predictions),
    trainSeconds: +trainSeconds.toFixed(3),
    classifyPerSecond: Math.round(testSet.length / Math.max(seconds, 1e-9)),
    triage: triageFigures(model, predictions),
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const { accuracy, macroF1, ece, classifyPerSecond, triage } = result;
  console.log(`accuracy ${accuracy}  macro-F1 ${macroF1}  ECE ${ece}  train ${result.trainSeconds}s  ${classifyPerSecond}/s`);
  for (const [label, m] of Object.entries(result.perClass)) console.log(`  ${label.padEnd(12)} P ${m.precision}  R ${m.recall}  F1 ${m.f1}  n ${m.support}`);
  for (const [lang, m] of Object.entries(result.perLang ?? {})) console.log(`  lang ${lang}: accuracy ${m.accuracy}  macro-F1 ${m.macroF1}  n ${m.support}`);
  console.log(`  triage at ${triage.threshold}: auto-routed accuracy ${triage.autoAccuracy}, ${triage.triageShare} to triage`);
}

async function trainCommand(args: string[]): Promise<void> {
  const { o } = options(args, ['data', 'out', 'model'], ['data']);
  const data = existing(o.data as string, '--data file');
  if (o.out === undefined) {
    if (o.model !== undefined) throw new UsageError('--model applies to a model written with --out; the app trains its own kind');
    // the app's store and seed loading cost ~0.4 s to load; only this command needs them
    const { importHistoryFile } = await import('../src/cli/history.js');
    console.log(JSON.stringify(await importHistoryFile(data)));
    return;
  }
  const examples = readLabelledFile(data);
  const trainOpts = trainOptions(o);
  const t0 = performance.now();
  const model = train(examples, trainOpts);
  const json = model.serialize();
  writeFileSync(o.out as string, json);
  const trainSeconds = +((performance.now() - t0) / 1000).toFixed(3);
  console.log(JSON.stringify({ out: o.out, labels: model.labels, examples: examples.length, bytes: Buffer.byteLength(json), trainSeconds }));
}

async function predictCommand(args: string[]): Promise<void> {
  const { o, rest: texts } = options(args, ['model'], ['model'], true);
  const model = loadModel(existing(o.model as string, '--model file'));
  const print = (text: string) => console.log(JSON.stringify({ text, ...model.classify(text) }));
  if (texts.length > 0) return texts.forEach(print);
  for await (const line of createInterface({ input: process.stdin })) if (line.trim() !== '') print(line);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'evaluate') return evaluateCommand(rest);
  if (command === 'train') return trainCommand(rest);
  if (command === 'predict') return predictCommand(rest);
  if (command === undefined || command === '--help' || command === 'help') {
    console.error(USAGE);
    process.exitCode = command === undefined ? 2 : 0;
    return;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError || err instanceof LabelledDataError;
  console.error(`classifier: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof UsageError) console.error(USAGE);
  process.exitCode = usage ? 2 : 1;
});
