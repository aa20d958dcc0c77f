import fs from 'node:fs';
import path from 'node:path';

/** `../shared/fixtures/maricopa-assessor/parcels`: the twelve real `/parcel/{apn}` answers. */
export const PARCEL_FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures/maricopa-assessor/parcels');

/** Each real fixture by its APN (the file name starts with it). */
export function loadParcelFixtures(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of fs.readdirSync(PARCEL_FIXTURES_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const apn = /^(\d{3}-\d{2}-\d{3}[A-Z]?)/.exec(file)?.[1];
    if (!apn) throw new Error(`fixture ${file} does not start with an APN`);
    out.set(apn, JSON.parse(fs.readFileSync(path.join(PARCEL_FIXTURES_DIR, file), 'utf8')) as Record<string, unknown>);
  }
  return out;
}
