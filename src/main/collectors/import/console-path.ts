import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteValue } from './quote-value.js';

/**
 * The path of a file to import as typed or pasted in the console, read on the server, or the
 * reason it cannot be used (a sentence for the user). Pasted forms that name a file exactly are
 * taken: the surrounding double quotes of Windows Explorer's "Copy as path"
 * (`"C:\Users\me\Downloads\export.csv"`) and a `file://` URL (a file dragged from a browser's
 * address bar). Refused: a relative path (`Downloads/export.csv`, `./x.csv`), which the server
 * would read from the folder it was started in, not the user's; and `~/…`, which only a shell
 * expands. `what` names what the path should be (`file`, `file or folder`).
 */
export function consolePath(input: string, what: string): { path: string } | { error: string } {
  const unquoted = /^"(.+)"$/.exec(input)?.[1] ?? input;
  if (/^file:\/\//i.test(unquoted)) {
    try {
      return { path: fileURLToPath(unquoted) };
    } catch {
      return { error: `${quoteValue(input, 80)} is not a file URL of this computer: give the full path of the ${what}.` };
    }
  }
  if (unquoted.startsWith('~')) return { error: `${quoteValue(input, 80)} starts with ~, which only a shell turns into your home folder: give the full path of the ${what} on this computer.` };
  if (!isAbsolute(unquoted)) {
    return { error: `${quoteValue(input, 80)} is a relative path, which the server would read from its own folder: give the full path of the ${what} on this computer (starting with / , or with a drive such as C:\\ on Windows).` };
  }
  return { path: unquoted };
}
