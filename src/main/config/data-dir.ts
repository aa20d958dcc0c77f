import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'Phoenix RE Console';

/**
 * The platform's app-data folder, the same one Electron's `app.getPath('userData')` gives, so the
 * desktop app, `phoenix-re serve` and the CLI share one data folder by default.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), APP_FOLDER_NAME);
}
