import type { Session } from 'electron';
import { APP_ORIGIN } from './protocol.js';

/**
 * The one permission the console uses: desktop notifications (80% and 100% of the day's LLM
 * budget, `src/renderer/ui/notifications.ts`).
 */
const GRANTED = new Set(['notifications']);

/** Whether `permission` may be granted to a page at `url`: the console's own origin, a listed permission. */
export function isPermissionGranted(permission: string, url: string | undefined): boolean {
  if (!GRANTED.has(permission) || !url) return false;
  try {
    // By scheme and host: a URL parser gives every non-http scheme the origin "null".
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Electron security checklist item 5: every permission request and check is denied unless
 * `isPermissionGranted` allows it (camera, microphone, geolocation, clipboard, MIDI, HID, USB,
 * serial, fullscreen, external protocols: all denied), and so is every device permission.
 */
export function denyPermissionsByDefault(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(details.isMainFrame && isPermissionGranted(permission, details.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
}
