import { Transform, type Readable } from 'node:stream';
import Parser, { type JsonToken } from 'stream-json/Parser.js';

/**
 * What one feature of a GeoJSON file may hold, so that no file can exhaust memory (the bounds of
 * the CSV imports, import/input-bounds.ts, applied to JSON): characters of one key or value, of
 * the whole feature (its polygon included), members of one object, and nesting (a MultiPolygon
 * feature is 6 deep: feature, geometry, coordinates, polygon, ring, point).
 */
export interface FeatureBounds {
  valueChars: number;
  featureChars: number;
  members: number;
  depth: number;
}

/** Why a feature was not read: a bound of FeatureBounds passed, at `path` (`properties.OWNER_NAME`, `geometry.coordinates.0`). */
export interface FeatureFault {
  fault: 'value_too_long' | 'feature_too_long' | 'too_many_members' | 'too_deep';
  path: string;
}

/** What the reader finds in a FeatureCollection, in file order: its `type` and `crs` members, then each feature (1-based `index`), read or refused. */
export type CollectionEvent =
  | { kind: 'member'; name: 'type' | 'crs'; value: unknown }
  | { kind: 'feature'; index: number; chars: number; value: unknown; fault: null }
  | { kind: 'feature'; index: number; chars: number; value: null; fault: FeatureFault };

/** A file that is not a GeoJSON FeatureCollection (its shape, not one feature): the import stops with it. */
export class NotFeatureCollectionError extends Error {
  override readonly name = 'NotFeatureCollectionError';
}

/** Bounds of the collection's own `type` and `crs` members: a `crs` is a name or a link of some hundred characters. */
const MEMBER_BOUNDS: FeatureBounds = { valueChars: 4096, featureChars: 64 * 1024, members: 100, depth: 8 };

type Container = Record<string, unknown> | unknown[];

/**
 * One JSON value built from stream-json's tokens, within its bounds: past one the value is
 * dropped (what was built is let go) and the rest of it is only counted to find its end, so a
 * value of any size costs at most its bound. `keep: false` reads a value only to pass it.
 */
class BoundedValue {
  value: unknown = undefined;
  fault: FeatureFault | null = null;
  private frames: { container: Container; at: string | number | null }[] = [];
  private depth = 0;
  private text = '';
  private reading: 'key' | 'string' | 'number' | null = null;
  private key: string | null = null;
  /** Characters of keys and values read so far (of a dropped value too). */
  chars = 0;

  constructor(
    private readonly bounds: FeatureBounds,
    private readonly keep = true,
  ) {}

  /** Take one token; true once the value is whole. */
  feed(t: JsonToken): boolean {
    switch (t.name) {
      case 'startObject':
      case 'startArray':
        this.depth += 1;
        if (this.depth > this.bounds.depth) this.refuse('too_deep');
        this.attach(t.name === 'startObject' ? {} : [], true);
        return false;
      case 'endObject':
      case 'endArray':
        this.depth -= 1;
        this.frames.pop();
        return this.depth === 0;
      case 'startKey':
      case 'startString':
      case 'startNumber':
        this.reading = t.name === 'startKey' ? 'key' : t.name === 'startString' ? 'string' : 'number';
        this.text = '';
        return false;
      case 'stringChunk':
      case 'numberChunk':
        return this.chunk(t.value as string);
      case 'endKey':
        this.reading = null;
        if (this.fault || !this.keep) return false;
        this.key = this.text;
        this.text = '';
        if (Object.keys(this.frames.at(-1)!.container).length >= this.bounds.members) this.refuse('too_many_members');
        return false;
      case 'endString':
      case 'endNumber': {
        const text = this.text;
        this.reading = null;
        this.text = '';
        return this.attach(t.name === 'endNumber' ? Number(text) : text, false);
      }
      case 'nullValue':
      case 'trueValue':
      case 'falseValue':
        return this.attach(t.value ?? null, false);
      default:
        return false;
    }
  }

  private chunk(part: string): boolean {
    this.chars += part.length;
    if (this.fault || !this.keep) return false;
    if (this.chars > this.bounds.featureChars) this.refuse('feature_too_long');
    else if (this.text.length + part.length > this.bounds.valueChars) this.refuse('value_too_long');
    else this.text += part;
    return false;
  }

  /** Put a container (then entered) or a scalar where it goes; true when it is the whole value. */
  private attach(item: unknown, container: boolean): boolean {
    if (this.fault || !this.keep) return !container && this.depth === 0;
    const parent = this.frames.at(-1);
    let at: string | number | null = null;
    if (!parent) this.value = item;
    else if (Array.isArray(parent.container)) {
      at = parent.container.length;
      parent.container.push(item);
    } else {
      at = this.key;
      parent.container[this.key!] = item;
    }
    if (container) this.frames.push({ container: item as Container, at });
    return !container && this.depth === 0;
  }

  /** Drop the value: what was built is let go, its end is still found. */
  private refuse(fault: FeatureFault['fault']): void {
    const path = [...this.frames.slice(1).map((f) => f.at), this.reading === 'key' ? null : this.atNow()].filter((p) => p !== null).join('.');
    this.fault = { fault, path };
    this.frames = [];
    this.value = null;
    this.text = '';
  }

  private atNow(): string | number | null {
    const parent = this.frames.at(-1)?.container;
    if (!parent) return null;
    return Array.isArray(parent) ? parent.length : this.key;
  }
}

/**
 * The collection's tokens as its events, one token at a time and synchronously (a token costs no
 * promise): the members `type` and `crs`, each feature whole or refused; other members passed.
 */
class CollectionReader {
  private depth = 0;
  private member: BoundedValue | null = null;
  private memberName: string | null = null;
  private keyText = '';
  private readingKey = false;
  private inFeatures = false;
  sawFeatures = false;
  private feature: BoundedValue | null = null;
  private index = 0;

  constructor(private readonly bounds: FeatureBounds) {}

  /** Take one token: the event it completes, if any. Throws NotFeatureCollectionError for a file of another shape. */
  token(t: JsonToken): CollectionEvent | null {
    if (this.feature) return this.feed(this.feature, t);
    if (this.inFeatures) {
      if (t.name === 'endArray') {
        this.inFeatures = false;
        return null;
      }
      this.index += 1;
      this.feature = new BoundedValue(this.bounds);
      return this.feed(this.feature, t);
    }
    if (this.member) return this.feedMember(this.member, t);
    if (this.depth === 0) {
      if (t.name !== 'startObject') throw new NotFeatureCollectionError('it is not a JSON object (a GeoJSON file starts with {"type": "FeatureCollection", …})');
      this.depth = 1;
      return null;
    }
    // Inside the collection object: its member names, then their values.
    if (this.readingKey) {
      if (t.name === 'stringChunk') {
        if (this.keyText.length < MEMBER_BOUNDS.valueChars) this.keyText += t.value as string;
      } else if (t.name === 'endKey') this.readingKey = false;
      return null;
    }
    if (t.name === 'startKey') {
      this.readingKey = true;
      this.keyText = '';
      return null;
    }
    if (t.name === 'endObject') {
      this.depth = 0;
      return null;
    }
    this.memberName = this.keyText;
    if (this.memberName === 'features') {
      if (t.name !== 'startArray') throw new NotFeatureCollectionError('its "features" is not an array');
      this.inFeatures = true;
      this.sawFeatures = true;
      return null;
    }
    this.member = new BoundedValue(MEMBER_BOUNDS, this.memberName === 'type' || this.memberName === 'crs');
    return this.feedMember(this.member, t);
  }

  private feed(feature: BoundedValue, t: JsonToken): CollectionEvent | null {
    if (!feature.feed(t)) return null;
    this.feature = null;
    return feature.fault
      ? { kind: 'feature', index: this.index, chars: feature.chars, value: null, fault: feature.fault }
      : { kind: 'feature', index: this.index, chars: feature.chars, value: feature.value, fault: null };
  }

  private feedMember(member: BoundedValue, t: JsonToken): CollectionEvent | null {
    if (!member.feed(t)) return null;
    this.member = null;
    const name = this.memberName;
    if (name !== 'type' && name !== 'crs') return null;
    if (member.fault) throw new NotFeatureCollectionError(`its "${name}" is over ${MEMBER_BOUNDS.valueChars} characters`);
    return { kind: 'member', name, value: member.value };
  }
}

/**
 * The features of a GeoJSON FeatureCollection (RFC 7946, 3.3) read from `text` as a stream of
 * tokens (stream-json's Parser, values never packed whole), one feature held at a time, each
 * within `bounds`: a feature over one is given as its fault and the reading goes on after it.
 * The collection's `type` and `crs` (the 2008 GeoJSON member RFC 7946 dropped, which ogr2ogr and
 * ArcGIS still write) are given as they come; other members are passed over. Tokens are taken
 * as the parser pushes them (a Transform of tokens to events), so only events are awaited.
 * Throws NotFeatureCollectionError for a file that is not a JSON object with a `features` array,
 * and stream-json's own error for text that is not JSON.
 */
export async function* geoJsonFeatures(text: Readable, bounds: FeatureBounds): AsyncGenerator<CollectionEvent> {
  const parser = new Parser({ packValues: false });
  const reader = new CollectionReader(bounds);
  const events = new Transform({
    objectMode: true,
    transform(t: JsonToken, _encoding, done) {
      try {
        const event = reader.token(t);
        if (event) this.push(event);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  text.on('error', (error) => parser.destroy(error));
  parser.on('error', (error) => events.destroy(error));
  text.pipe(parser).pipe(events);
  try {
    yield* events as AsyncIterable<CollectionEvent>;
  } finally {
    events.destroy();
    parser.destroy();
    text.destroy();
  }
  if (!reader.sawFeatures) throw new NotFeatureCollectionError('it has no "features" array (a GeoJSON FeatureCollection lists its parcels there)');
}
