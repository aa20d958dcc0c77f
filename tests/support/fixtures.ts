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

/** The real condo of C01 as the assessor writes it: a real parcel's payload with the condo's address, lot and use. */
export function writeCondoParcel(dir: string): string {
  // Without the parts naming parcel 509-11-455 (the Treasurer link, the sketches' APN).
  const { TreasurersTransitionUrl: _link, Sketches: _sketches, ...base } = loadParcelFixtures().get('509-11-455')!;
  const condo = {
    ...base,
    PropertyAddress: '4600 N 68TH ST 371 SCOTTSDALE 85251',
    PropertyUseCode: '0710',
    PEPropUseDesc: 'Condominiums',
    ResidentialPropertyData: { ...(base.ResidentialPropertyData as object), LotSize: '73', LivableSpace: '702', BathFixtures: '3' },
  };
  // The APN comes from the file's name: the payload does not carry it.
  const file = path.join(dir, '173-35-524.json');
  fs.writeFileSync(file, JSON.stringify(condo));
  return file;
}
