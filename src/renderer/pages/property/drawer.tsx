import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The property page as a drawer over the list or the map: fixed to the right edge at full
 * height, so it is in view at 1024×700 and up, whatever was scrolled. Focus moves to its
 * heading when it opens (or shows another property); Escape or Close calls `onClose`, and the
 * opener returns focus where it belongs.
 */
export function PropertyDrawer({ id, title, onClose, children }: { id: string; title: ReactNode; onClose: () => void; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, [id]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        onClose();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <section className="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title" data-property-id={id}>
      <header className="drawer-head">
        <h2 id="drawer-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="secondary" onClick={onClose} aria-keyshortcuts="Escape">
          Close
        </button>
      </header>
      <div className="drawer-body">{children}</div>
    </section>
  );
}
