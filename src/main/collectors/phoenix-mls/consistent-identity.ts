import os from 'node:os';
import type { Page } from 'playwright';

/** What the User-Agent says about the machine, from the OS we really run on. */
export function uaPlatform(platform: NodeJS.Platform = process.platform, arch: string = os.arch()): { ua: string; navigator: string; hint: string } {
  if (platform === 'darwin') return { ua: 'Macintosh; Intel Mac OS X 10_15_7', navigator: 'MacIntel', hint: 'macOS' };
  if (platform === 'win32') return { ua: 'Windows NT 10.0; Win64; x64', navigator: 'Win32', hint: 'Windows' };
  const machine = arch === 'arm64' ? 'aarch64' : 'x86_64';
  return { ua: `X11; Linux ${machine}`, navigator: `Linux ${machine}`, hint: 'Linux' };
}

/** The identity a page shows: the real browser's version and the real OS, never "Headless". */
export function identityFor(browserVersion: string, platform = uaPlatform()) {
  const major = browserVersion.split('.')[0] || '0';
  const userAgent = `Mozilla/5.0 (${platform.ua}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
  const brands = [
    { brand: 'Chromium', version: major },
    { brand: 'Not:A-Brand', version: '24' },
    { brand: 'Google Chrome', version: major },
  ];
  return {
    userAgent,
    platform,
    brands,
    headers: {
      'user-agent': userAgent,
      'sec-ch-ua': brands.map((b) => `"${b.brand}";v="${b.version}"`).join(', '),
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': `"${platform.hint}"`,
    },
  };
}

/**
 * Crawlee's generated fingerprints vary the screen, hardware and fonts, but they come from a
 * dataset that lags the browser (Chrome 147 in the User-Agent of a Chrome 156) and can contradict
 * themselves (`Linux armv81` beside an x86_64 User-Agent). After the fingerprint is injected,
 * this makes what a site can cross-check (User-Agent, client hints, `navigator.platform`) agree
 * with the browser that really runs and the OS it runs on.
 */
export async function alignIdentity(page: Page): Promise<void> {
  const id = identityFor(page.context().browser()?.version() ?? '');
  await page.setExtraHTTPHeaders(id.headers);
  await page.addInitScript(
    ({ userAgent, navigatorPlatform, hint, brands }) => {
      // Runs in the page, where `navigator` exists (this project's Node types do not declare it).
      const nav = (globalThis as unknown as { navigator: object }).navigator;
      const define = (name: string, value: unknown) => Object.defineProperty(Object.getPrototypeOf(nav), name, { get: () => value, configurable: true });
      define('userAgent', userAgent);
      define('appVersion', userAgent.replace(/^Mozilla\//, ''));
      define('platform', navigatorPlatform);
      const data = {
        brands,
        mobile: false,
        platform: hint,
        getHighEntropyValues: async () => ({ brands, mobile: false, platform: hint, architecture: 'x86', bitness: '64', uaFullVersion: `${brands[0]!.version}.0.0.0` }),
        toJSON: () => ({ brands, mobile: false, platform: hint }),
      };
      define('userAgentData', data);
    },
    { userAgent: id.userAgent, navigatorPlatform: id.platform.navigator, hint: id.platform.hint, brands: id.brands },
  );
}
