import type { SecretScrubber } from '../observability/secret-scrubber.js';
import type { CliOutput } from './output.js';

/**
 * `output` with every line scrubbed of secrets: the CLI's one place, so no run message, queue
 * error or failure it prints can show a token. `scrubber` learns the settings' secrets once the
 * core starts; before that its shapes (headers, URL passwords) still apply.
 */
export function scrubbingOutput(output: CliOutput, scrubber: SecretScrubber): CliOutput {
  return {
    out: (text) => output.out(scrubber.scrub(text)),
    err: (text) => output.err(scrubber.scrub(text)),
  };
}
