import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { PropertyListInput } from '../../../shared/contract.js';
import { SkipLink } from '../../ui/skip-link.js';
import { sortFieldOf, type Column, type ListRow } from './columns.js';

type Sort = PropertyListInput['sort'];

/** Rows a Page Up or Page Down moves. */
const PAGE_ROWS = 10;

/** The row index a key moves to from `at` among `count` rows, or null for a key that does not move. */
function rowAfterKey(key: string, at: number, count: number): number | null {
  const to =
    key === 'ArrowDown' ? at + 1
    : key === 'ArrowUp' ? at - 1
    : key === 'PageDown' ? at + PAGE_ROWS
    : key === 'PageUp' ? at - PAGE_ROWS
    : key === 'Home' ? 0
    : key === 'End' ? count - 1
    : null;
  return to === null ? null : Math.min(count - 1, Math.max(0, to));
}

/**
 * The Properties list as a grid of rows sized to their figures (a table: every figure column as
 * wide as its widest figure, the address and the value wrapping between their parts), scrolling
 * sideways under a sticky address column and downwards under sticky headers.
 *
 * Keyboard (WAI-ARIA grid pattern, row focus with a roving tabindex): one row is in the Tab
 * order; Up and Down, Page Up and Page Down, Home and End move between rows; Enter or Space opens
 * the row's property. "Skip to properties", first in the page, lands on that row.
 */
export function PropertyGrid({ items, columns, sort, onSort, openId, onOpen }: { items: ListRow[]; columns: readonly Column[]; sort: Sort; onSort: (field: Sort['field']) => void; openId: string | null; onOpen: (id: string) => void }) {
  const body = useRef<HTMLTableSectionElement>(null);
  const [active, setActive] = useState(0);
  const at = Math.min(active, Math.max(0, items.length - 1));
  useEffect(() => {
    // The open property's row is the one Tab comes back to.
    const open = items.findIndex((r) => r.id === openId);
    if (open >= 0) setActive(open);
  }, [items, openId]);

  const focusRow = (index: number) => {
    const row = body.current?.rows[index];
    if (!row) return;
    setActive(index);
    row.focus();
    row.scrollIntoView({ block: 'nearest' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(id);
      return;
    }
    const to = rowAfterKey(e.key, index, items.length);
    if (to === null) return;
    e.preventDefault();
    focusRow(to);
  };

  return (
    <>
      <SkipLink label="Skip to properties" onSkip={() => (items.length > 0 ? focusRow(at) : document.querySelector<HTMLElement>('main h1')?.focus())} />
      <div className="prop-grid-scroll">
        <table className="prop-grid" role="grid" aria-label="Properties">
          <thead>
            <tr>
              {columns.map((c) => {
                const field = sortFieldOf(c.key);
                return (
                  <th key={c.key} scope="col" data-col={c.key} aria-sort={field && sort.field === field ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                    {field ? (
                      <button type="button" className="link" onClick={() => onSort(field)}>
                        {c.label}
                        {sort.field === field ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody ref={body} data-testid="property-rows">
            {items.map((p, index) => (
              <tr
                key={p.id}
                tabIndex={index === at ? 0 : -1}
                data-open-id={p.id}
                className={openId === p.id ? 'selected' : undefined}
                aria-selected={openId === p.id}
                onClick={() => onOpen(p.id)}
                onFocus={() => setActive(index)}
                onKeyDown={(e) => onKeyDown(e, index, p.id)}
              >
                {columns.map((c) => (
                  <td role="gridcell" key={c.key} data-col={c.key} className={c.wraps ? 'wraps' : undefined}>
                    {c.render(p)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
