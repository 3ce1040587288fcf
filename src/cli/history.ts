import { readLabelledFile } from '../../classifiers';
import { cliActor } from '../audit/admin';
import { recordAction } from '../audit/record';
import { loadDepartments } from '../config/departments';
import { activeModel } from '../store/repositories/classifier-models';
import { learnHistory, type HistoryResult } from '../learning/history';
import { withDatabase } from './database';

/**
 * Reads the whole labelled file first (a bad line stops it before anything is stored), then stores it and makes
 * a model trained on it the active version; a running app picks that up within a minute.
 */
export async function importHistoryFile(file: string): Promise<HistoryResult> {
  const examples = readLabelledFile(file);
  const result = await withDatabase(async (config) => {
    const previous = (await activeModel())?.version ?? null;
    const learned = await learnHistory(examples, `import:${file}`, loadDepartments(config.departmentsFile));
    await recordAction({ actor: cliActor(), action: 'history.imported', target: { kind: 'model', id: String(learned.version) }, before: { activeVersion: previous }, after: { activeVersion: learned.version }, details: { imported: learned.imported } });
    return learned;
  });
  const figures = result.heldOut ? `; on a held-out fifth of it: accuracy ${result.heldOut.accuracy}, macro-F1 ${result.heldOut.macroF1}` : '';
  process.stderr.write(
    `imported ${result.imported} labelled messages (${[...new Set(examples.map((e) => e.label))].sort().join(', ')}); ` +
      `model version ${result.version} is active, trained on ${result.trainedOn} examples in ${result.trainSeconds.toFixed(1)} s${figures}.\n`,
  );
  return result;
}
