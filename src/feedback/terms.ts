import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import PorterStemmerDe from 'natural/lib/natural/stemmers/porter_stemmer_de';
import AggressiveTokenizer from 'natural/lib/natural/tokenizers/aggressive_tokenizer';
import AggressiveTokenizerDe from 'natural/lib/natural/tokenizers/aggressive_tokenizer_de';
import { words as naturalEnglish } from 'natural/lib/natural/util/stopwords';

/** One feedback text to group; `lang` ('en' | 'de') when the classifier already knows it. */
export interface FeedbackText {
  id: string;
  text: string;
  lang?: string | null;
}

/** A word of a text: `key` is shared by its inflections and translations-by-spelling; `content` is false for stopwords. */
export interface Word {
  key: string;
  word: string;
  content: boolean;
}

const split = (s: string) => s.split(/\s+/).filter(Boolean);
/** natural has no German list: articles, pronouns, auxiliaries, prepositions, particles. */
const GERMAN = new Set(split(`der die das den dem des ein eine einer einem einen eines und oder aber doch sondern denn ich du er sie es wir ihr
  mich mir dich dir uns euch ihn ihm ihnen mein meine meinen meinem meiner dein deine sein seine seinen unser unsere euer eure ist sind bin
  bist war waren wäre wären hat habe haben hast hatte hätte hätten wird werden wurde würde würden kann können könnte könntet muss müsste
  soll sollte will wollen möchte möchten nicht kein keine keinen keiner mit von vom zu zum zur im in am an auf aus bei beim für nach über um
  vor wie was wo wer wann warum weil noch schon auch nur so da dann dass wenn als ob man sich hier jetzt mal ja nein bitte gerne gern endlich
  toll super schön danke hallo hi hey gibt geht gehen machen macht einfach immer leider eigentlich sehr mehr etwas ganz dafür dazu damit
  euer eurer euch ihr ihre ihren bald idee wunsch wünsche wünschen möglich funktion unterstützung unterstützen dies diese dieser diesem
  diesen bis ohne gegen durch alle allen alles viel viele wirklich echt jemand nichts seit statt per kommt lange zwei drei vier fünf`));
/** Words every feature request uses: they would tie unrelated requests together. */
const FILLER = new Set(split(`not no nor just please add adding added love would like want wants wish need needs needed app apps feature
  features support supported supporting possible option options really great thanks thank hello hi hey guys team also soon plan plans
  planned request requests idea ideas nice good cool awesome will use using used work works working way any anyone someone something
  it's i'm i'd i've don't can't doesn't isn't there's that's let lets get got one two three four five thing things ever yet every last via
  per`));
const ENGLISH = new Set(naturalEnglish);
const NOISE = /\bhttps?:\/\/\S+|\bwww\.\S+|[@]\w+|\b\d[\d.,:]*\b/g;

const analyzers = {
  en: { tokenizer: new AggressiveTokenizer(), stemmer: PorterStemmer },
  de: { tokenizer: new AggressiveTokenizerDe(), stemmer: PorterStemmerDe },
};

/** The classifier's language when it is en or de, else a vote of each language's stopwords (ties: en). */
export function languageOf(text: string, known?: string | null): 'en' | 'de' {
  if (known === 'en' || known === 'de') return known;
  let de = 0;
  for (const w of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (GERMAN.has(w) && !ENGLISH.has(w)) de++;
    else if (ENGLISH.has(w) && !GERMAN.has(w) && w.length > 1) de--;
  }
  return de > 0 ? 'de' : 'en';
}

/** Lowercased words in order, links, handles and numbers removed; stopwords stay as phrase breakers. */
export function wordsOf(text: string, lang: 'en' | 'de'): Array<{ word: string; stem: string; content: boolean }> {
  const { tokenizer, stemmer } = analyzers[lang];
  const clean = text.slice(0, 2000).toLowerCase().replace(NOISE, ' ').replace(/[-/_#]+/g, ' ');
  return tokenizer
    .tokenize(clean)
    .map((raw) => raw.replace(/^'+|'+$/g, ''))
    .filter((word) => word.length > 0 && word.length <= 40)
    .map((word) => {
      const content = word.length > 1 && !ENGLISH.has(word) && !GERMAN.has(word) && !FILLER.has(word);
      return { word, stem: content ? stemmer.stem(word) : word, content };
    });
}

/**
 * Analyses every text; a key joins the stems of one language with the words they came from, so 'battery' and
 * 'batteries' share one, and so does 'matter' stemmed as English and as German. Keys do not depend on input order.
 */
export function analyseAll(texts: FeedbackText[]): Word[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    // the smaller root wins, so the joined key is the same whatever order the edges come in
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const analysed = texts.map((t) => {
    const lang = languageOf(t.text, t.lang);
    return wordsOf(t.text, lang).map((w) => ({ ...w, node: `${lang}:${w.stem}` }));
  });
  for (const doc of analysed) for (const w of doc) if (w.content) union(w.node, `=${w.word}`);
  return analysed.map((doc) => doc.map((w) => ({ key: w.content ? find(w.node) : `=${w.word}`, word: w.word, content: w.content })));
}

/** Whether two displayed key terms (words) name the same thing, in either language's stemming. */
export function sameTerm(a: string, b: string): boolean {
  if (a === b) return true;
  const stems = (w: string) => [PorterStemmer.stem(w), PorterStemmerDe.stem(w)];
  const [sa, sb] = [stems(a), stems(b)];
  return sa.some((s) => sb.includes(s));
}
