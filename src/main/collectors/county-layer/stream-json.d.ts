/**
 * The part of stream-json 1.9 (uhop/stream-json, BSD-3-Clause) the parcel file import uses: its
 * token parser (`Parser`, a Transform from JSON text to token objects), as its README and
 * Parser.js describe it. The package ships no types.
 */
declare module 'stream-json/Parser.js' {
  import { Transform } from 'node:stream';

  /** One token: `startObject`, `endObject`, `startArray`, `endArray`, `startKey`/`endKey`, `startString`/`endString`, `startNumber`/`endNumber`, `stringChunk`/`numberChunk` (with `value`), `nullValue`, `trueValue`, `falseValue`, and the packed `keyValue`, `stringValue`, `numberValue`. */
  export interface JsonToken {
    name: string;
    value?: string | boolean | null;
  }

  export interface ParserOptions {
    /** Whether keys, strings and numbers are also given whole (`keyValue`, …): off, a value is only ever given in chunks. */
    packValues?: boolean;
    packKeys?: boolean;
    packStrings?: boolean;
    packNumbers?: boolean;
    streamValues?: boolean;
    jsonStreaming?: boolean;
  }

  export default class Parser extends Transform {
    constructor(options?: ParserOptions);
    static make(options?: ParserOptions): Parser;
  }
}
