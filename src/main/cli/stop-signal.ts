import type { CliOutput } from './output.js';

/** An AbortSignal raised by Ctrl-C or SIGTERM, saying `message`; `dispose` removes the handlers. */
export function stopSignal(output: CliOutput, message: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => {
    output.err(`\n${message}`);
    controller.abort(new Error('stopped'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    },
  };
}
