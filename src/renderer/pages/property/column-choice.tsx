import { useCallback, useEffect, useState } from 'react';
import { z } from 'zod';
import type { Column } from './columns.js';

/**
 * Which columns of the Properties list show: the analyst's choice, kept in this browser's
 * localStorage, else a default for the window's width (issue #23: at 1024 px the key figures fit
 * without scrolling sideways).
 */

/** The localStorage key of the chosen columns (a JSON array of column keys). */
export const COLUMN_CHOICE_KEY = 'phoenix-re.properties.columns';
/** From this window width (CSS px) on, the wide default shows. */
export const WIDE_FROM_PX = 1280;
/** The column that always shows: a row is read by its address. */
export const ALWAYS_SHOWN = 'address';

/** The key figures, the default of a window narrower than {@link WIDE_FROM_PX} (1024 × 700 fits them). */
const NARROW_DEFAULT = ['address', 'price', 'value', 'list_to_value', 'cap_rate', 'cash_flow_monthly', 'recommendation', 'bedrooms', 'bathrooms'];
/** The key figures and the facts beside them, the default from {@link WIDE_FROM_PX} on. */
const WIDE_DEFAULT = [...NARROW_DEFAULT, 'value_confidence', 'rent', 'cash_on_cash', 'price_change', 'square_feet', 'year_built'];

const storedChoice = z.array(z.string().max(60)).max(100);

/** The stored choice, or null when there is none or it is not a list of keys (then the default shows). */
function readChoice(): string[] | null {
  try {
    const parsed = storedChoice.safeParse(JSON.parse(localStorage.getItem(COLUMN_CHOICE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function useWide(): boolean {
  const query = `(min-width: ${WIDE_FROM_PX}px)`;
  const [wide, setWide] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = () => setWide(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, [query]);
  return wide;
}

/**
 * The columns shown: `shown` (column keys, in no order), whether they are the analyst's choice
 * (`chosen`) or the default for a window at least {@link WIDE_FROM_PX} wide (`wide`) or narrower,
 * and the ways to change them.
 */
export interface ColumnChoice {
  shown: ReadonlySet<string>;
  chosen: boolean;
  wide: boolean;
  setShown: (key: string, show: boolean) => void;
  reset: () => void;
}

/** The list's column choice: the stored one, else the default for the window's width (which follows a resize). */
export function useColumnChoice(): ColumnChoice {
  const wide = useWide();
  const [choice, setChoice] = useState<string[] | null>(readChoice);
  const shown = new Set(choice ?? (wide ? WIDE_DEFAULT : NARROW_DEFAULT));
  shown.add(ALWAYS_SHOWN);
  const setShown = useCallback(
    (key: string, show: boolean) => {
      const next = new Set(choice ?? (wide ? WIDE_DEFAULT : NARROW_DEFAULT));
      if (show) next.add(key);
      else next.delete(key);
      localStorage.setItem(COLUMN_CHOICE_KEY, JSON.stringify([...next]));
      setChoice([...next]);
    },
    [choice, wide],
  );
  const reset = useCallback(() => {
    localStorage.removeItem(COLUMN_CHOICE_KEY);
    setChoice(null);
  }, []);
  return { shown, chosen: choice !== null, wide, setShown, reset };
}

/**
 * The column chooser: a disclosure listing every column with a checkbox (the address always
 * shows), and a way back to the default for the window's width. `available` are the keys some
 * row of the page fills in; a chosen column no row fills says so.
 */
export function ColumnChooser({ columns, available, choice }: { columns: readonly Column[]; available: ReadonlySet<string>; choice: ColumnChoice }) {
  const count = columns.filter((c) => choice.shown.has(c.key) && available.has(c.key)).length;
  return (
    <details className="column-chooser">
      <summary>
        Columns ({count} of {available.size})
      </summary>
      <fieldset>
        <legend>Show these columns {choice.chosen ? '(your choice, kept in this browser)' : `(the default for a window ${choice.wide ? `${WIDE_FROM_PX} px or wider` : `narrower than ${WIDE_FROM_PX} px`})`}</legend>
        {columns.map((c) => (
          <label key={c.key} className="check">
            <input type="checkbox" checked={choice.shown.has(c.key)} disabled={c.key === ALWAYS_SHOWN} onChange={(e) => choice.setShown(c.key, e.target.checked)} />
            {c.label}
            {!available.has(c.key) && <span className="muted small"> (no row on this page has it)</span>}
          </label>
        ))}
        <button type="button" className="secondary" onClick={choice.reset} disabled={!choice.chosen}>
          Default columns
        </button>
      </fieldset>
    </details>
  );
}
