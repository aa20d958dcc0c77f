import type { Shell, WebContents } from 'electron';
import { APP_ORIGIN } from './protocol.js';

/** Sites a link in the console may open in the analyst's browser: https only, these hosts only. */
export const EXTERNAL_HOSTS = ['mcassessor.maricopa.gov', 'www.phoenixmlssearch.com', 'platform.openai.com', 'www.webshare.io', '2captcha.com', 'www.mongodb.com'];

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_HOSTS.includes(u.hostname) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * No navigation away from the console and no new windows: an allowed https link opens in the
 * system browser instead; anything else is dropped.
 */
export function guardContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>, shell: Pick<Shell, 'openExternal'>): void {
  contents.on('will-navigate', (event, url) => {
    const u = URL.canParse(url) ? new URL(url) : null;
    // (`origin` is "null" for a custom scheme in Node's URL; compare scheme and host.)
    if (u && `${u.protocol}//${u.host}` === APP_ORIGIN) return;
    event.preventDefault();
    if (isAllowedExternal(url)) void shell.openExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
