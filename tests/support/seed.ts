import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import type { Core } from '../../src/main/core/create-core.js';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { loadParcelFixtures } from './fixtures.js';

/** The twelve real assessor parcels, stored and queued as a sync would. Returns their raw ids. */
export async function seedFixtureParcels(core: Core): Promise<string[]> {
  const inputs = [...loadParcelFixtures()].map(([apn, payload]) => mapParcel(apn, parcelPayloadSchema.parse(payload)));
  return seedRaw(core, inputs);
}

export async function seedRaw(core: Core, inputs: RawPropertyInput[]): Promise<string[]> {
  const results = await core.repos.raw.upsertMany(inputs);
  for (const r of results) await core.repos.queue.enqueue(r.id);
  return results.map((r) => r.id);
}

/** A listing as the MLS collector stores one. */
export function mlsListing(mls: string, overrides: Record<string, unknown> = {}): RawPropertyInput {
  return {
    source: 'phoenix_mls',
    source_id: mls,
    data: {
      mls_number: mls,
      address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302',
      list_price: 365_000,
      status: 'Active',
      bedrooms: 3,
      bathrooms: 2,
      square_feet: 1540,
      lot_size: 7200,
      year_built: 1979,
      pool: true,
      garage_spaces: 2,
      property_type_label: 'Single Family - Detached',
      description: 'Charming block home with a sparkling pool and mature citrus trees.',
      ...overrides,
    },
    original: { html: '<html>listing</html>' },
  };
}
