import type { RawPropertyData } from '../../shared/schemas/raw-property.js';

/**
 * Short facts from a raw record beyond the normalised fields, for the prose. `bathroomsEstimated`
 * is the merged record's flag: a count estimated from the assessor's fixtures is said to be one,
 * a count a listing states is not, whichever record is being processed.
 */
export function factsOf(data: RawPropertyData, bathroomsEstimated = data.bathrooms_estimated === true): string[] {
  const facts: string[] = [];
  if (data.pool === true) facts.push('Private pool');
  const garages = typeof data.garages === 'number' ? data.garages : typeof data.garage_spaces === 'number' ? data.garage_spaces : null;
  if (garages) facts.push(`${garages}-car garage`);
  if (data.is_rental === true) facts.push('Currently a rental');
  if (typeof data.cooling === 'string' && /refrig/i.test(data.cooling)) facts.push('Refrigerated air');
  if (typeof data.roof_type === 'string') facts.push(`${data.roof_type.replace(/^[A-Z][a-z]? - /, '')} roof`);
  if (bathroomsEstimated) facts.push('bathrooms estimated');
  return facts;
}
