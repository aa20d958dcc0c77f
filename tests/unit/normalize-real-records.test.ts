import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { addressKey, parseAddress } from '../../src/shared/address.js';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { mlsListing } from '../support/seed.js';

/**
 * The normaliser's output on every real record we hold, held against what it gave before it was
 * made faster (issue 22: the address parser's work per record halved the normaliser's rate):
 * `snapshots/normalize-real-records.json` was written by this file (`WRITE_SNAPSHOT=1`) from the
 * code of main at ec69ea3, before any change for speed. Any difference in a key, a street, a city
 * or a field's source fails here.
 */
const SNAPSHOT = path.resolve(import.meta.dirname, 'snapshots/normalize-real-records.json');
const ARMLS_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export');

/** The twelve real `/parcel` answers mapped, every row of the real ARMLS exports mapped, and the bench's MLS listings. */
function realRecords(): RawPropertyInput[] {
  const parcels = [...loadParcelFixtures()].map(([apn, p]) => mapParcel(apn, parcelPayloadSchema.parse(p)));
  const armls = fs
    .readdirSync(ARMLS_DIR)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .flatMap((f) => parse(fs.readFileSync(path.join(ARMLS_DIR, f)), { bom: true, columns: true }) as Record<string, string>[])
    .map((row) => mapArmlsRow(row));
  const listings = Array.from({ length: 12 }, (_, i) => mlsListing(String(i), { address: `${i} W Elm Street, Phoenix, AZ 85031` }));
  return [...parcels, ...armls, ...listings];
}

/**
 * Each real address written as other sources and analysts write it (lower case, a pasted country,
 * a line break, an MLS number before or after, doubled spaces, an ARMLS `--` placeholder, a unit
 * spelled four ways): every path of the parser the faster code short-cuts.
 */
function variants(address: string): string[] {
  const unit = address.replace(/^(\S+ \S+ \S+ \S+)/, '$1 UNIT 12');
  return [
    address,
    address.toLowerCase(),
    `${address}, USA`,
    `${address}, United States`,
    address.replace(/ (\d{5})$/, '\n$1'),
    address.replace(/ /, '  '),
    `${address} / 6937912 (MLS #)`,
    `MLS #6937912 - ${address}`,
    `${address.toLowerCase()} (mls #6937912)`,
    `${address} - ARMLS# 6937912`,
    address.replace(/^(\S+ \S+ \S+)/, '$1 --'),
    address.replace(/^(\S+ \S+ \S+)/, '$1 —'),
    unit,
    unit.replace('UNIT 12', '#12'),
    unit.replace('UNIT 12', 'APT 12-B'),
    unit.replace('UNIT 12', '12'),
  ];
}

function outputs(): { records: unknown[]; addresses: unknown[] } {
  const rows = realRecords();
  const records = rows.map((r) => ({ source: r.source, source_id: r.source_id, ...normalize({ source: r.source, data: r.data }) }));
  const texts = [...new Set(rows.map((r) => r.data.address).filter((a): a is string => typeof a === 'string'))].flatMap(variants);
  const addresses = texts.map((text) => {
    const parsed = parseAddress(text);
    return [text, parsed.street, parsed.city, parsed.state, parsed.zip, addressKey(parsed)];
  });
  return { records, addresses };
}

describe('normalize on every real record', () => {
  it('gives what it gave before it was made faster (snapshot of main at ec69ea3)', () => {
    const now = outputs();
    if (process.env.WRITE_SNAPSHOT === '1') fs.writeFileSync(SNAPSHOT, `${JSON.stringify(now)}\n`);
    const before = JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')) as typeof now;
    expect(now.records).toHaveLength(12 + 143 + 12);
    expect(now.records).toEqual(before.records);
    expect(now.addresses).toEqual(before.addresses);
  });
});
