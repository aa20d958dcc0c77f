import { createContext, useContext, useState, type ReactNode } from 'react';
import type { PropertyFilters } from '../../shared/contract.js';

const FiltersContext = createContext<{ filters: PropertyFilters; setFilters: (f: PropertyFilters) => void } | null>(null);

/** The property filters the Properties list and the Map share: the map follows the list. */
export function FiltersProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<PropertyFilters>({});
  return <FiltersContext.Provider value={{ filters, setFilters }}>{children}</FiltersContext.Provider>;
}

export function usePropertyFilters() {
  const value = useContext(FiltersContext);
  if (!value) throw new Error('usePropertyFilters outside FiltersProvider');
  return value;
}
