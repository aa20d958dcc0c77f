/** A setting that stops start-up: the message names the setting, where it came from, and why. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}
