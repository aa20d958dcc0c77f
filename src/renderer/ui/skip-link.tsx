import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/** The id of the app shell's slot for skip links: first in the page, before the navigation. */
export const SKIP_LINKS_ID = 'skip-links';

/**
 * A skip link a page offers ("Skip to properties"): rendered in the shell's slot, so it is the
 * first thing Tab reaches, shown only while it has focus; `onSkip` moves focus to what it names.
 * A button, not a `#fragment` link: the console routes by the URL's hash.
 */
export function SkipLink({ label, onSkip }: { label: string; onSkip: () => void }) {
  const [slot, setSlot] = useState<HTMLElement | null>(null);
  useEffect(() => setSlot(document.getElementById(SKIP_LINKS_ID)), []);
  if (!slot) return null;
  return createPortal(
    <button type="button" className="skip-link" onClick={onSkip}>
      {label}
    </button>,
    slot,
  );
}
