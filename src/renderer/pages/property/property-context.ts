import { createContext, useContext } from 'react';
import type { PropertyDetail } from '../../../shared/contract.js';

/**
 * The property open in the drawer (`properties.get`), for the sections deep inside its page that
 * act on it (the comparables' include/exclude) without every panel between passing it down.
 */
export const PropertyDetailContext = createContext<PropertyDetail | null>(null);

/** The property open in the drawer, or null outside one. */
export function usePropertyDetail(): PropertyDetail | null {
  return useContext(PropertyDetailContext);
}
