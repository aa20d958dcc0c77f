import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import type { PropertyFilters } from '../../shared/contract.js';

interface FiltersValue {
  filters: PropertyFilters;
  /** The filters as the form submitted them. */
  setFilters: (f: PropertyFilters) => void;
  /** Filters from elsewhere (a saved search): the form is filled again from them. */
  replaceFilters: (f: PropertyFilters) => void;
  /** Bumped by `replaceFilters`: the filter form's key. */
  revision: number;
}

const FiltersContext = createContext<FiltersValue | null>(null);

/** The property filters the Properties list and the Map share: the map follows the list. */
export function FiltersProvider({ children }: { children: ReactNode }) {
  const [filters, setFilters] = useState<PropertyFilters>({});
  const [revision, setRevision] = useState(0);
  const replaceFilters = useCallback((f: PropertyFilters) => {
    setFilters(f);
    setRevision((r) => r + 1);
  }, []);
  return <FiltersContext.Provider value={{ filters, setFilters, replaceFilters, revision }}>{children}</FiltersContext.Provider>;
}

export function usePropertyFilters(): FiltersValue {
  const value = useContext(FiltersContext);
  if (!value) throw new Error('usePropertyFilters outside FiltersProvider');
  return value;
}
