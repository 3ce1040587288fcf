// natural ships types only for its folder indexes; these deep paths skip its 1 s root import and its dotenv call.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  import type { Stemmer } from 'natural/lib/natural/stemmers';
  const stemmer: Stemmer;
  export = stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_de' {
  import type { Stemmer } from 'natural/lib/natural/stemmers';
  const stemmer: Stemmer;
  export = stemmer;
}
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer' {
  class AggressiveTokenizer {
    tokenize(text: string): string[];
  }
  export = AggressiveTokenizer;
}
declare module 'natural/lib/natural/tokenizers/aggressive_tokenizer_de' {
  class AggressiveTokenizerDe {
    tokenize(text: string): string[];
  }
  export = AggressiveTokenizerDe;
}
declare module 'natural/lib/natural/tokenizers/regexp_tokenizer' {
  export class RegexpTokenizer {
    constructor(options: { pattern: RegExp; gaps?: boolean });
    tokenize(text: string): string[];
  }
}
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
