import type { Stemmer } from 'natural/lib/natural/stemmers';
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import PorterStemmerDe from 'natural/lib/natural/stemmers/porter_stemmer_de';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer';
import AggressiveTokenizerDe from 'natural/lib/natural/tokenizers/aggressive_tokenizer_de';
import { RegexpTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';

/** One analysed word: `stem` is the feature, `word` the surface form shown in explanations. */
export interface Token {
  readonly stem: string;
  readonly word: string;
  /** a stopword or mask: may weigh in a decision but is never shown as a reason */
  readonly quiet: boolean;
  /** memo of this stem's unigram id in the feature space whose uid is `idIn` (tokens are shared, see tokenOf) */
  id?: number;
  idIn?: number;
  /** memo of where this word's char n-gram buckets lie in the char memo of the space whose uid is `charsIn` (see features.ts) */
  charsIn?: number;
  charsGen?: number;
  charsLang?: string;
  charsAt?: number;
  charsLen?: number;
}

interface Analyzer {
  tokenizer: { tokenize(text: string): string[] };
  stemmer?: Stemmer;
  cache: Map<string, Token>;
}

const analyzers: Record<string, Analyzer> = {
  en: { tokenizer: new AggressiveTokenizer(), stemmer: PorterStemmer, cache: new Map() },
  de: { tokenizer: new AggressiveTokenizerDe(), stemmer: PorterStemmerDe, cache: new Map() },
  und: { tokenizer: new RegexpTokenizer({ pattern: /[^\p{L}\p{N}']+/u }), cache: new Map() },
};

const CACHE_LIMIT = 100_000;
/** long issue reports add cost but little signal after their opening */
export const MAX_CHARS = 1000;
const URL = /\b(?:https?:\/\/|www\.)\S+/g;
const NUMBER = /\b\d[\d.,:/-]*\b/g;
const JOINERS = /[-/_]+/g;
const DIGIT = /\d/;

/** Words that may weigh in a decision but explain nothing to a reader ("product: the, die app"); natural has no German list. */
const UNEXPLAINING = new Set([
  'xurl', // the masks normalize() puts in place of URLs
  'xnum', // and numbers
  ...englishStopwords,
  ...'der die das den dem des ein eine einer einem einen eines und oder aber doch ich du er sie es wir ihr mich mir dich dir uns euch ihn ihm ihnen mein meine meinen meinem meiner dein deine sein seine unser unsere euer eure ist sind bin bist war waren hat habe haben hast hatte wird werden wurde kann können muss soll will nicht kein keine keinen mit von zu zum zur im in am an auf aus bei für nach über um vor wie was wo wer wann warum noch schon auch nur so da dann denn dass wenn als ob man sich hier jetzt mal ja nein'.split(' '),
]);

/** Lowercases, masks URLs and numbers; the German stemmer checks stopwords before lowercasing, so this comes first. */
export function normalize(text: string): string {
  let s = text.toLowerCase();
  // the guards skip two regex scans for the many messages without links or digits
  if (s.includes('http') || s.includes('www.')) s = s.replace(URL, ' xurl ');
  if (DIGIT.test(s)) s = s.replace(NUMBER, ' xnum ');
  return s.replace(JOINERS, ' ');
}

function tokenOf(a: Analyzer, word: string): Token {
  let token = a.cache.get(word);
  if (token === undefined) {
    // every field set here, so all tokens share one object shape
    token = { stem: a.stemmer ? a.stemmer.stem(word) : word, word, quiet: UNEXPLAINING.has(word), id: -1, idIn: 0, charsIn: 0, charsGen: 0, charsLang: '', charsAt: 0, charsLen: 0 };
    // stemming dominates analysis; a bounded memo of shared tokens keeps it flat without growing forever
    if (a.cache.size >= CACHE_LIMIT) a.cache.clear();
    a.cache.set(word, token);
  }
  return token;
}

/** Empties the word memo (for benchmarks that must see words for the first time). */
export function forgetWords(): void {
  for (const a of Object.values(analyzers)) a.cache.clear();
}

/** Tokenizes and stems `text` with the tokenizer and stemmer of `lang` (unstemmed Unicode words for 'und'). */
export function analyze(text: string, lang: string): Token[] {
  const a = analyzers[lang] ?? analyzers.und!;
  const out: Token[] = [];
  for (const raw of a.tokenizer.tokenize(normalize(text.slice(0, MAX_CHARS)))) {
    const word = raw.charCodeAt(0) === 39 || raw.charCodeAt(raw.length - 1) === 39 ? raw.replace(/^'+|'+$/g, '') : raw;
    if (word.length === 0 || word.length > 40) continue;
    out.push(tokenOf(a, word));
  }
  return out;
}
